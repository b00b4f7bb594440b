"""deadcode: find dead code in Ruby on Rails repositories."""

__version__ = "0.1.0"
