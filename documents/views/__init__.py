"""Views of the documents app, one module per noun."""
