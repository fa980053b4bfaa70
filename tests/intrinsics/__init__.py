"""Tests of sfnlocal.intrinsics (a package so that module names cannot clash with other folders)."""
