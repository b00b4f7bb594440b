; deadcode's Ruby queries for file loading and subclass registries. Run only on files that
; mention Dir, descendants, subclasses or inherited (most files do not): see extract.py.

; ---- files loaded by a glob: Dir["app/x/*.rb"], Dir.glob(Rails.root.join("lib", "*.rb")) ----
(element_reference
  object: (constant) @object
  (#eq? @object "Dir")) @reference.dir_glob

(call
  receiver: (constant) @object
  method: (identifier) @method
  arguments: (argument_list) @args
  (#eq? @object "Dir")
  (#any-of? @method "glob" "[]")) @reference.dir_glob

; `descendants` inside the class itself (a bare identifier: a call without receiver)
((identifier) @reference.bare_registry
  (#any-of? @reference.bare_registry "descendants" "subclasses" "direct_descendants"))

; ---- def self.inherited(subclass): the class records its subclasses -----------
(singleton_method
  object: (self)
  name: (identifier) @name
  (#eq? @name "inherited")) @reference.inherited_hook

