"""Edits of a party on file, knowing the cases and licences that name it.

This package sits above parties, applications, licences, amendments and screening: it reads
what names a party and screens a new version, so none of those needs to import it back.
"""
