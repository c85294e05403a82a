"""Writes for compilations: the section page, created once under the home page."""

from __future__ import annotations

from core.sections import section_index


def compilation_index():
    """The 法规汇编 section page (created and published under the home page if there is none)."""
    from laws.compilations.models import CompilationIndexPage

    return section_index(CompilationIndexPage, title="法规汇编", slug="compilations")
