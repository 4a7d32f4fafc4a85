"""Text handling without any UI: normalization, Markdown, words and sentences."""
