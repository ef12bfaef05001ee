"""Rendering results for people: network pages, their layout, and text formats."""
