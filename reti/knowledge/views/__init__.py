"""Portal pages of the knowledge module: the catalogue, authoring, review, transfers."""
