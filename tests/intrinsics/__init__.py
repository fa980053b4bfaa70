"""Tests of sfnlocal.language.intrinsics (a package so that module names cannot clash with other folders)."""
