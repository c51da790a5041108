"""The relationship-map screens: the canvas and its editor, the maps list, the site network."""
