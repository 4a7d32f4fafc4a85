"""The app's screens: library, read, compare, and the article panel they share."""
