"""The Amazon States Language itself, with no I/O and no notion of a running execution.

Loading (:mod:`.loader`), the structural checks (:mod:`.structure`), paths (:mod:`.paths`), payload
templates (:mod:`.payload`), the I/O fields (:mod:`.dataflow`), a field in either query language
(:mod:`.fields`), Choice rules (:mod:`.choice_rules`), variables (:mod:`.variables`), Resource ARNs
(:mod:`.resources`), timestamps, the intrinsic functions (:mod:`.intrinsics`), JSONata (:mod:`.jsonata`)
and the errors (:mod:`.errors`). The interpreter and every consumer build on this package; it imports
none of them.
"""
