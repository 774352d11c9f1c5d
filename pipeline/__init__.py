"""The course builder: turns a curriculum of YAML files into a whole course under build/."""

__version__ = "0.1.0"
