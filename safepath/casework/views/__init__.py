"""Casework pages: each is a section of the case page (cases.pages.SECTIONS) or a page it links to."""
