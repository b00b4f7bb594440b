; deadcode's own Ruby queries. Captures follow the tags naming convention
; (@definition.*, @reference.*, @name) and extend it in the same shape.
; The shipped tags.scm is not used: its catch-all patterns count local
; variables as calls and a definition's own name as a reference.

; ---- definitions -----------------------------------------------------------
(class
  name: (_) @name
  superclass: (superclass (_) @superclass)?
  body: (_)? @body) @definition.class

(module
  name: (_) @name
  body: (_)? @body) @definition.module

(assignment
  left: (constant) @name
  right: (_) @value) @definition.constant

; ---- constant references ---------------------------------------------------
; Python keeps the outermost scope_resolution and drops constants inside it.
(constant) @reference.constant
(scope_resolution) @reference.scoped

; ---- string and symbol literals --------------------------------------------
(string (string_content) @content) @reference.string
(bare_string (string_content) @content) @reference.string
(simple_symbol) @reference.symbol
; hash keys (`key:`) are never literals: not matched at all
(bare_symbol) @reference.symbol
(delimited_symbol (string_content) @content) @reference.string

; ---- dynamic constant names ------------------------------------------------
(call
  receiver: (string (interpolation)) @pattern
  method: (identifier) @method
  (#any-of? @method "constantize" "safe_constantize")) @reference.pattern

(call
  method: (identifier) @method
  arguments: (argument_list . (string (interpolation)) @pattern)
  (#any-of? @method "const_get" "const_defined?" "safe_constantize")) @reference.pattern

; (controller_name + "_form").classify.constantize, "#{kind}_exporter".camelize, and
; where(editionable_type: "#{format}_edition".classify): a class name built at run time
; (Python builds its glob: state_file/*_form -> StateFile::*Form)
(call
  receiver: (_) @chain
  method: (identifier) @inflect
  (#any-of? @inflect "classify" "camelize" "camelcase")) @reference.inflected_pattern

; heredoc bodies: raw SQL (INSERT INTO t ...) and rake command lines
(heredoc_body) @reference.heredoc

; ---- Rake::Task["a:b"] ---------------------------------------------------------
(element_reference
  object: (scope_resolution) @object
  .
  (string (string_content) @content)
  (#eq? @object "Rake::Task")) @reference.rake_task

; ---- case/when dispatch ------------------------------------------------------
(when
  pattern: (pattern [(string) (simple_symbol)] @key)) @definition.when

; ---- hash literal pairs (dispatch maps) ---------------------------------------
(assignment
  left: (constant) @name
  right: [(hash) @hash
          (call receiver: (hash) @hash)]) @definition.hash

; ---- comments: inline keeps, and constant names mentioned (evidence only) -----------
(comment) @comment

; ---- calls that plugins care about ------------------------------------------------
; Every call of a plain method name matches; Python keeps those whose name is in the
; set of methods plugins care about (a set lookup is cheaper than an #any-of? of
; some 60 names run on every call). The receiver is read from the node's field in
; Python: an optional capture makes every call costlier to match. The optional
; arguments and block stay: they decide when a match completes, hence the order of
; the calls in the facts.
(call
  method: (identifier) @method
  arguments: (argument_list)? @args
  block: (_)? @block) @reference.call

; a macro without arguments in a class or module body (`acts_as_favoritor`, `has_paper_trail`)
; (also in a block: a concern's `included do acts_as_favoritor end`)
[(class body: (body_statement (identifier) @reference.bare_call))
 (module body: (body_statement (identifier) @reference.bare_call))
 (do_block body: (body_statement (identifier) @reference.bare_call))]

; ---- methods and visibility ----------------------------------------------------
(method name: (_) @name) @definition.method

(body_statement
  (identifier) @visibility
  (#any-of? @visibility "private" "protected" "public"))

; `super` (a method calling it overrides one of an ancestor)
(super) @definition.super

; methods and `private` directly inside `class << self` (class methods, not instance ones)
(singleton_class
  body: (body_statement [(method) (identifier)] @definition.singleton_body))

; ---- model attributes: self.table_name = "x", self.abstract_class = true --------
(assignment
  left: (call receiver: (self) method: (identifier) @attribute)
  right: (_) @value
  (#any-of? @attribute "table_name" "abstract_class" "table_name_prefix" "inheritance_column")) @definition.attribute

; config.active_record.pluralize_table_names = false (and ActiveRecord::Base., self.)
(assignment
  left: (call receiver: (_) method: (identifier) @attribute)
  right: (_) @value
  (#eq? @attribute "pluralize_table_names")) @definition.attribute

; def self.table_name_prefix; "#{Course.table_name.singularize}_plan_"; end: computed (value "")
(singleton_method
  object: (self)
  name: (identifier) @attribute
  body: (_) @value
  (#any-of? @attribute "table_name" "table_name_prefix")) @definition.attribute

; def self.table_name_prefix; "admin_"; end (and table_name)
(singleton_method
  object: (self)
  name: (identifier) @attribute
  body: (body_statement . (string) @value .)
  (#any-of? @attribute "table_name" "table_name_prefix")) @definition.attribute

; def self.table_name_prefix = "admin_" (endless)
(singleton_method
  object: (self)
  name: (identifier) @attribute
  body: (string) @value
  (#any-of? @attribute "table_name" "table_name_prefix")) @definition.attribute

; Namespace.const_get(name) with a computed name: any constant under Namespace
(call
  receiver: [(constant) (scope_resolution)] @receiver
  method: (identifier) @method
  arguments: (argument_list . [(identifier) (call) (instance_variable) (element_reference)] @dynamic_arg)
  (#any-of? @method "const_get" "const_defined?")) @reference.namespace_pattern
