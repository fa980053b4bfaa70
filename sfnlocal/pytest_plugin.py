"""The pytest plugin (registered under the ``pytest11`` entry point): fixtures and workflow coverage."""
