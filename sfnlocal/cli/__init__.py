"""The ``sfnlocal`` command line: ``run`` in :mod:`.main`, one module per other command."""
