"""The app's screens: library, read, compare, help and the dialogs."""
