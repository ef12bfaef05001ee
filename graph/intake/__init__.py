"""Document intake: read an article, find the entities and ties it names, propose them."""
