"""Side-by-side benchmarks: sfnlocal against moto's Step Functions interpreter.

Run ``python -m benchmarks`` from the repository root; see ``benchmarks/README.md``.
"""
