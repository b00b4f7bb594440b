"""Ruby's own rules, beside the index: how a constant name resolves (``constants``) and
how code gets loaded and enumerated at run time (``loading``). Plugins say what a
framework does by convention; this layer says what Ruby itself does."""
