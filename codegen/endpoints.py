#!/usr/bin/env python3
"""Translates the service's endpoint rule set into C++.

    python3 codegen/endpoints.py           # write the generated headers
    python3 codegen/endpoints.py --check   # exit 1 if a committed header is stale

Inputs:
  * codegen/model/endpoint-rule-set.json  (Smithy rules engine, botocore copy)
  * codegen/model/partitions.json         (the table behind `aws.partition`)
  * codegen/model/service.json            (metadata.signingName only)
  * tests/data/endpoints/synthetic-rule-set.json, when present: our own rule set
    that uses the functions and features the service's rules do not, so the
    translator is tested on more than one input.

Output: include/cleanroomsml/model/endpoint_rules.hpp (and the test header).
The translator is generic over the rule-set JSON: every rule becomes a block
of nested `if`s (one per condition, in order), an `assign` becomes a local
bound inside that block, a tree rule's sub-rules follow each other inside its
block and a tree none of whose sub-rules matched is an error (the rules
engine's semantics), an error rule returns its message, an endpoint rule
returns its url / headers / properties. Functions of the rules' standard
library map to cleanroomsml::detail::endpoint_lib; `aws.partition` maps to a
lookup in the partition table, which is embedded as constexpr data. Whatever
the translator does not know (a function, a parameter type, a builtIn, an
attribute) stops the generation with an error instead of producing guesses.

`outputs(root)` returns {relative path: text}; nothing is written by it.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

RULES_SRC = "codegen/model/endpoint-rule-set.json"
PARTITIONS_SRC = "codegen/model/partitions.json"
SERVICE_SRC = "codegen/model/service.json"
SYNTHETIC_SRC = "tests/data/endpoints/synthetic-rule-set.json"


class RuleSetError(Exception):
    pass


def snake(name):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return re.sub(r"[^A-Za-z0-9]+", "_", s).strip("_").lower()


def cpp_str(s):
    """A C++ string literal for s (UTF-8 bytes; octal escapes never run on)."""
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


def unparen(code):
    """code without one pair of parentheses around all of it."""
    if not (code.startswith("(") and code.endswith(")")):
        return code
    depth = 0
    for i, ch in enumerate(code):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and i < len(code) - 1:
            return code
    return code[1:-1]


def json_escape(s):
    """s as the inside of a JSON string, the way endpoint_lib::json_escape writes it."""
    return json.dumps(s, ensure_ascii=False)[1:-1]


# ---------------------------------------------------------------- partitions

PARTITION_OUTPUT_TYPES = {str: "std::string_view", bool: "bool"}


class Partitions:
    """partitions.json as tables: one outputs record per partition (plus one per
    region that overrides outputs), the sorted exact-region list, the regexes."""

    def __init__(self, data):
        parts = data["partitions"]
        if not parts:
            raise RuleSetError("partitions.json has no partitions")
        self.version = data.get("version", "")
        self.fields = {}          # output key -> python type, in first-seen order
        for p in parts:
            self._add_fields(p.get("outputs", {}))
            for r in p.get("regions", {}).values():
                self._add_fields({k: v for k, v in r.items() if k != "description"})
        self.ids = [p["id"] for p in parts]
        self.regexes = [p["regionRegex"] for p in parts]
        self.outputs = [dict(p["outputs"]) for p in parts]
        self.regions = []         # (region, outputs index)
        for i, p in enumerate(parts):
            for name, r in p.get("regions", {}).items():
                override = {k: v for k, v in r.items() if k != "description"}
                index = i
                if override:
                    merged = dict(p["outputs"], **override)
                    if merged not in self.outputs:
                        self.outputs.append(merged)
                    index = self.outputs.index(merged)
                self.regions.append((name, index))
        self.regions.sort()
        names = [r for r, _ in self.regions]
        if len(set(names)) != len(names):
            raise RuleSetError("a region is listed in two partitions")
        if "aws" not in self.ids:
            raise RuleSetError("partitions.json has no default partition 'aws'")
        self.default = self.ids.index("aws")

    def _add_fields(self, outputs):
        for k, v in outputs.items():
            t = type(v)
            if t not in PARTITION_OUTPUT_TYPES:
                raise RuleSetError(f"partition output {k}: unsupported type {t.__name__}")
            if self.fields.setdefault(k, t) is not t:
                raise RuleSetError(f"partition output {k} has two types")

    def field(self, key):
        if key not in self.fields:
            raise RuleSetError(f"getAttr: partitions have no attribute {key!r}")
        return snake(key), ("bool" if self.fields[key] is bool else "string")

    def emit(self):
        o = []
        o.append(f"// ---------------------------------------------------------------- partitions\n\n")
        o.append(f"// {PARTITIONS_SRC} (version {self.version}): what `aws.partition` returns.\n")
        o.append("struct partition_outputs {\n")
        for k, t in self.fields.items():
            o.append(f"    {PARTITION_OUTPUT_TYPES[t]} {snake(k)}; // {k}\n")
        o.append("};\n\n")
        o.append("// One record per partition (same index as partition_regex), then one per\n"
                 "// region whose entry overrides outputs.\n")
        o.append(f"inline constexpr partition_outputs partition_table[] = {{\n")
        for out in self.outputs:
            vals = []
            for k, t in self.fields.items():
                v = out.get(k, False if t is bool else "")
                vals.append(("true" if v else "false") if t is bool else cpp_str(v))
            o.append(f"    {{{', '.join(vals)}}},\n")
        o.append("};\n\n")
        o.append("struct partition_region {\n    std::string_view region;\n    std::size_t outputs;\n};\n\n")
        o.append("// Every region listed by a partition, sorted, with its partition_table index.\n")
        o.append(f"inline constexpr partition_region partition_regions[] = {{\n")
        for name, i in self.regions:
            o.append(f"    {{{cpp_str(name)}, {i}}}, // {self.ids[i] if i < len(self.ids) else 'override'}\n")
        o.append("};\n\n")
        o.append("// regionRegex of each partition, in the file's order.\n")
        o.append(f"inline constexpr std::string_view partition_regex[] = {{\n")
        for pid, rx in zip(self.ids, self.regexes):
            o.append(f"    {cpp_str(rx)}, // {pid}\n")
        o.append("};\n\n")
        o.append(f"// The partition for a region no list or regex claims: {self.ids[self.default]!r}.\n")
        o.append(f"inline constexpr std::size_t default_partition = {self.default};\n\n")
        o.append(
            "/// aws.partition: the region's partition by the exact region lists, then by\n"
            "/// the partitions' regionRegex in order, else the default partition.\n"
            "inline partition_outputs const* aws_partition(std::string_view region)\n"
            "{\n"
            "    auto const* first = std::begin(partition_regions);\n"
            "    auto const* last = std::end(partition_regions);\n"
            "    auto const* it = std::lower_bound(first, last, region,\n"
            "        [](partition_region const& r, std::string_view v) { return r.region < v; });\n"
            "    if (it != last && it->region == region)\n"
            "        return &partition_table[it->outputs];\n"
            f"    // Compiled once, on first use.\n"
            f"    static std::array<cleanroomsml::detail::pattern, {len(self.regexes)}> const regexes{{\n"
            + "".join(f"        cleanroomsml::detail::pattern{{partition_regex[{i}]}},\n"
                      for i in range(len(self.regexes))) +
            "    };\n"
            "    for (std::size_t i = 0; i < regexes.size(); ++i)\n"
            "        if (regexes[i].supported() &&\n"
            "            regexes[i].match(region) == cleanroomsml::detail::pattern_result::match)\n"
            "            return &partition_table[i];\n"
            "    return &partition_table[default_partition];\n"
            "}\n\n")
        return "".join(o)


# ---------------------------------------------------------------- rule set -> C++

# Value types of the translator: (base, optional).
#   base: "string", "bool", "int", "partition", "url", "opt_string_result"
#   optional: the value may be unset (a parameter without default, or a
#   function result that may be null); C++ spells it std::optional or a pointer,
#   both of which test as bool and dereference with *.

URL_ATTRS = {"scheme": ("scheme", "string"), "authority": ("authority", "string"),
             "path": ("path", "string"), "normalizedPath": ("normalized_path", "string"),
             "isIp": ("is_ip", "bool")}

PARAM_TYPES = {"string": "string", "boolean": "bool"}

# builtIn -> how it is read from the public cleanroomsml::endpoint_params (b).
BUILTINS = {
    "AWS::Region": ("string", "if (!b.region.empty()) p.{name} = std::string_view{{b.region}};"),
    "AWS::UseFIPS": ("bool", "p.{name} = b.use_fips;"),
    "AWS::UseDualStack": ("bool", "p.{name} = b.use_dual_stack;"),
    "SDK::Endpoint": ("string", "if (b.endpoint) p.{name} = std::string_view{{*b.endpoint}};"),
}

NO_MATCH = "No endpoint rule matched these parameters"


class Value:
    def __init__(self, code, base, optional=False, is_ref=False):
        self.code, self.base, self.optional, self.is_ref = code, base, optional, is_ref


class Translator:
    def __init__(self, rules, partitions, lib="cleanroomsml::detail::endpoint_lib"):
        self.rules = rules
        self.partitions = partitions
        self.lib = lib
        self.counter = 0
        self.lines = []
        self.params = []          # (name, base, optional, default, builtIn)
        self.used_functions = set()
        for name, spec in rules["parameters"].items():
            t = PARAM_TYPES.get(spec["type"].lower())
            if t is None:
                raise RuleSetError(f"parameter {name}: unsupported type {spec['type']}")
            default = spec.get("default")
            optional = default is None
            builtin = spec.get("builtIn")
            if builtin is not None and builtin not in BUILTINS:
                raise RuleSetError(f"parameter {name}: unsupported builtIn {builtin}")
            if builtin is not None and BUILTINS[builtin][0] != t:
                raise RuleSetError(f"parameter {name}: builtIn {builtin} has another type")
            self.params.append((name, t, optional, default, builtin, bool(spec.get("required"))))

    # ------------------------------------------------------------ output helpers

    def out(self, depth, text):
        self.lines.append("    " * depth + text + "\n")

    def fresh(self):
        self.counter += 1
        return f"c{self.counter}"

    # ------------------------------------------------------------ expressions

    def template(self, text, scope):
        """A Smithy template string -> list of parts: str (literal) or Value (string)."""
        parts, lit, i = [], [], 0
        while i < len(text):
            ch = text[i]
            if ch == "{" and text.startswith("{{", i):
                lit.append("{"); i += 2; continue
            if ch == "}" and text.startswith("}}", i):
                lit.append("}"); i += 2; continue
            if ch == "{":
                end = text.find("}", i)
                if end < 0:
                    raise RuleSetError(f"unterminated template: {text!r}")
                inner = text[i + 1:end]
                if "#" in inner:
                    ref, path = inner.split("#", 1)
                    v = self.get_attr(self.ref(ref, scope), path)
                else:
                    v = self.ref(inner, scope)
                if v.optional:
                    raise RuleSetError(f"template {text!r}: {inner} may be unset here")
                if v.base != "string":
                    raise RuleSetError(f"template {text!r}: {inner} is not a string")
                if lit:
                    parts.append("".join(lit)); lit = []
                parts.append(v)
                i = end + 1
                continue
            if ch == "}":
                raise RuleSetError(f"unbalanced '}}' in template {text!r}")
            lit.append(ch); i += 1
        if lit:
            parts.append("".join(lit))
        return parts

    def string_expr(self, parts):
        """C++ for a template's parts: a literal string_view or a concatenation."""
        if all(isinstance(p, str) for p in parts):
            return cpp_str("".join(parts))   # every consumer takes a std::string_view
        if len(parts) == 1:
            return parts[0].code
        items = [cpp_str(p) if isinstance(p, str) else p.code for p in parts]
        return f"{self.lib}::concat({{{', '.join(items)}}})"

    def ref(self, name, scope):
        if name not in scope:
            raise RuleSetError(f"reference to unknown or unbound name {name!r}")
        return scope[name]

    def get_attr(self, obj, path):
        if obj.optional:
            raise RuleSetError(f"getAttr on a value that may be unset: {obj.code}")
        code, base = obj.code, obj.base
        for seg in path.split("."):
            m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)?((?:\[\d+\])*)", seg)
            if not m or m.group(2):
                raise RuleSetError(f"getAttr path {path!r}: indexing is not supported (no list values here)")
            key = m.group(1)
            if base == "partition":
                field, base = self.partitions.field(key)
            elif base == "url":
                if key not in URL_ATTRS:
                    raise RuleSetError(f"getAttr: a URL has no attribute {key!r}")
                field, base = URL_ATTRS[key]
            else:
                raise RuleSetError(f"getAttr {path!r} on a {base}")
            code = f"{code}.{field}"
        return Value(code, base)

    def expr(self, e, scope):
        if isinstance(e, bool):
            return Value("true" if e else "false", "bool")
        if isinstance(e, int):
            return Value(str(e), "int")
        if isinstance(e, str):
            return Value(self.string_expr(self.template(e, scope)), "string")
        if isinstance(e, dict) and "ref" in e:
            return self.ref(e["ref"], scope)
        if isinstance(e, dict) and "fn" in e:
            return self.call(e, scope)
        raise RuleSetError(f"unsupported expression {json.dumps(e)}")

    def arg(self, e, scope, base):
        """A function argument of type base. An unset argument is returned as
        optional; the caller decides what the function yields then."""
        v = self.expr(e, scope)
        if v.base != base:
            raise RuleSetError(f"expected a {base} argument, got {v.base}: {json.dumps(e)}")
        return v

    def lift(self, args, call, result):
        """Calls `call` (a function of the argument codes) when every optional
        argument is set. A function given an unset argument yields false (for a
        bool result) or unset, the way the SDKs' rule engines behave."""
        unset = [a for a in args if a.optional]
        if not unset:
            return Value(call([a.code for a in args]), result[0], result[1])
        for a in unset:
            if not a.is_ref:
                raise RuleSetError(f"a function result that may be unset is passed on unchecked: {a.code}; "
                                   "assign it in a condition first")
        codes = [f"(*{a.code})" if a.optional else a.code for a in args]
        guard = " && ".join(f"{a.code}.has_value()" for a in unset)
        inner = call(codes)
        if result[0] == "bool" and not result[1]:
            return Value(f"({guard} && {inner})", "bool")
        if result[1]:
            return Value(f"({guard} ? {inner} : decltype({inner}){{}})", result[0], True)
        raise RuleSetError(f"function result would be unset but its type cannot say so: {inner}")

    def call(self, e, scope):
        fn, argv = e["fn"], e.get("argv", [])
        self.used_functions.add(fn)
        lib = self.lib

        def want(n):
            if len(argv) != n:
                raise RuleSetError(f"{fn} takes {n} arguments, got {len(argv)}")

        if fn == "isSet":
            want(1)
            v = self.expr(argv[0], scope)
            if not v.optional:
                return Value("true", "bool")
            return Value(f"{v.code}.has_value()" if v.is_ref else f"static_cast<bool>({v.code})", "bool")
        if fn == "not":
            want(1)
            v = self.arg(argv[0], scope, "bool")
            return self.lift([v], lambda c: f"!{c[0]}", ("bool", False))
        if fn == "booleanEquals":
            want(2)
            a, b = self.arg(argv[0], scope, "bool"), self.arg(argv[1], scope, "bool")
            def eq(c):
                # booleanEquals(x, true) is x: the generated code reads like the rule.
                for x, y in ((c[0], c[1]), (c[1], c[0])):
                    if y == "true":
                        return x
                    if y == "false":
                        return f"!{x}"
                return f"({c[0]} == {c[1]})"
            return self.lift([a, b], eq, ("bool", False))
        if fn == "stringEquals":
            want(2)
            a, b = self.arg(argv[0], scope, "string"), self.arg(argv[1], scope, "string")
            return self.lift([a, b], lambda c: f"{lib}::string_equals({c[0]}, {c[1]})", ("bool", False))
        if fn == "isValidHostLabel":
            want(2)
            a, b = self.arg(argv[0], scope, "string"), self.arg(argv[1], scope, "bool")
            return self.lift([a, b], lambda c: f"{lib}::is_valid_host_label({c[0]}, {c[1]})", ("bool", False))
        if fn == "parseURL":
            want(1)
            a = self.arg(argv[0], scope, "string")
            return self.lift([a], lambda c: f"{lib}::parse_url({c[0]})", ("url", True))
        if fn == "uriEncode":
            want(1)
            a = self.arg(argv[0], scope, "string")
            if a.optional:
                raise RuleSetError("uriEncode of a value that may be unset")
            return Value(f"{lib}::uri_encode({a.code})", "string")
        if fn == "substring":
            want(4)
            s = self.arg(argv[0], scope, "string")
            start, stop = self.arg(argv[1], scope, "int"), self.arg(argv[2], scope, "int")
            rev = self.arg(argv[3], scope, "bool")
            return self.lift([s, start, stop, rev],
                             lambda c: f"{lib}::substring({c[0]}, {c[1]}, {c[2]}, {c[3]})",
                             ("string", True))
        if fn == "aws.partition":
            want(1)
            a = self.arg(argv[0], scope, "string")
            return self.lift([a], lambda c: f"aws_partition({c[0]})", ("partition", True))
        if fn == "getAttr":
            want(2)
            if not isinstance(argv[1], str):
                raise RuleSetError("getAttr: the path must be a literal string")
            return self.get_attr(self.expr(argv[0], scope), argv[1])
        raise RuleSetError(f"unsupported function {fn!r}")

    # ------------------------------------------------------------ rules

    def condition(self, c, scope, depth):
        """Opens one block for condition c; returns the scope inside it."""
        if "fn" not in c:
            raise RuleSetError(f"a condition must be a function call: {json.dumps(c)}")
        v = self.call(c, scope)
        inner = dict(scope)
        assign = c.get("assign")
        if assign is not None and assign in scope:
            raise RuleSetError(f"assign {assign!r} shadows a name in scope")
        if c["fn"] == "isSet" and isinstance(c["argv"][0], dict) and "ref" in c["argv"][0]:
            # Inside the block the parameter is known to be set.
            r = scope[c["argv"][0]["ref"]]
            if r.optional:
                inner[c["argv"][0]["ref"]] = Value(f"(*{r.code})", r.base)
        doc = c.get("documentation")
        if doc:
            self.out(depth, f"// {doc}")
        if assign is None:
            if v.base == "bool" or v.optional:
                self.out(depth, f"if ({unparen(v.code)}) {{")
            else:
                self.out(depth, "{")   # a value that is always set: the condition holds
            return inner
        var = self.fresh()
        local = f"v_{snake(assign)}"
        if v.optional or v.base == "bool":
            self.out(depth, f"if (auto const {var} = {v.code}; {var}) {{")
        else:
            self.out(depth, f"if (auto const {var} = {v.code}; true) {{")
        bound = f"*{var}" if v.optional else var
        self.out(depth + 1, f"[[maybe_unused]] auto const& {local} = {bound}; // {assign}")
        inner[assign] = Value(local, v.base)
        return inner

    def rule_list(self, rules, scope, depth):
        """Emits rules in order; returns True if control never falls through."""
        for i, r in enumerate(rules):
            if self.rule(r, scope, depth):
                if i + 1 < len(rules):
                    self.out(depth, f"// {len(rules) - i - 1} rule(s) after an unconditional rule are unreachable")
                return True
        return False

    def rule(self, r, scope, depth):
        conds = r.get("conditions", [])
        doc = r.get("documentation")
        if doc:
            self.out(depth, f"// {doc}")
        # A rule without conditions needs no block of its own: it always
        # returns (an endpoint or error rule, or a tree, which is terminal), so
        # nothing after it in the enclosing block can see its locals.
        inner = scope
        for k, c in enumerate(conds):
            inner = self.condition(c, inner, depth + k)
        body = depth + len(conds)
        kind = r["type"]
        if kind == "endpoint":
            self.endpoint(r["endpoint"], inner, body)
        elif kind == "error":
            v = self.expr(r["error"], inner)
            if v.base != "string" or v.optional:
                raise RuleSetError("an error rule's message must be a string")
            self.out(body, f"return rule_result::failure({v.code});")
        elif kind == "tree":
            if not self.rule_list(r["rules"], inner, body):
                self.out(body, f"return rule_result::failure({cpp_str(NO_MATCH)});")
        else:
            raise RuleSetError(f"unsupported rule type {kind!r}")
        for k in reversed(range(len(conds))):
            self.out(depth + k, "}")
        return not conds

    def json_parts(self, v, scope, parts):
        """The JSON text of a property value, as template parts; strings are templates."""
        if isinstance(v, bool):
            parts.append("true" if v else "false")
        elif isinstance(v, (int, float)):
            parts.append(json.dumps(v))
        elif isinstance(v, str):
            parts.append('"')
            for p in self.template(v, scope):
                if isinstance(p, str):
                    parts.append(json_escape(p))
                else:
                    parts.append(Value(f"{self.lib}::json_escape({p.code})", "string"))
            parts.append('"')
        elif isinstance(v, list):
            parts.append("[")
            for i, x in enumerate(v):
                if i:
                    parts.append(",")
                self.json_parts(x, scope, parts)
            parts.append("]")
        elif isinstance(v, dict):
            parts.append("{")
            for i, (k, x) in enumerate(v.items()):
                if i:
                    parts.append(",")
                parts.append(json.dumps(k, ensure_ascii=False) + ":")
                self.json_parts(x, scope, parts)
            parts.append("}")
        else:
            raise RuleSetError(f"unsupported property value {v!r}")

    def endpoint(self, ep, scope, depth):
        url = self.expr(ep["url"], scope)
        if url.base != "string" or url.optional:
            raise RuleSetError("an endpoint's url must be a string that is set")
        self.out(depth, "rule_result r;")
        self.out(depth, f"r.url = {url.code};")
        for name, values in ep.get("headers", {}).items():
            for val in values:
                v = self.expr(val, scope)
                if v.base != "string" or v.optional:
                    raise RuleSetError(f"header {name}: value must be a string that is set")
                self.out(depth, f"r.headers.emplace_back({cpp_str(name)}, {v.code});")
        props = ep.get("properties", {})
        if props:
            parts = []
            self.json_parts(props, scope, parts)
            merged = []
            for p in parts:
                if isinstance(p, str) and merged and isinstance(merged[-1], str):
                    merged[-1] += p
                else:
                    merged.append(p)
            self.out(depth, f"r.properties = {self.string_expr(merged)};")
            schemes = props.get("authSchemes", [])
            if not isinstance(schemes, list):
                raise RuleSetError("authSchemes must be a list")
            # The first scheme the library signs with (SigV4); else the first named.
            chosen = next((s for s in schemes if s.get("name") == "sigv4"), schemes[0] if schemes else None)
            if chosen is not None:
                for key, field in (("name", "auth_scheme"), ("signingName", "signing_name"),
                                   ("signingRegion", "signing_region")):
                    if key in chosen:
                        v = self.expr(chosen[key], scope)
                        if v.base != "string" or v.optional:
                            raise RuleSetError(f"authSchemes {key} must be a string that is set")
                        self.out(depth, f"r.{field} = {v.code};")
        self.out(depth, "return r;")

    # ------------------------------------------------------------ whole file

    def emit(self):
        o = []
        o.append("// ---------------------------------------------------------------- parameters\n\n")
        o.append("/// The rule set's parameters; unset ones are empty optionals.\n")
        o.append("struct params {\n")
        for name, base, optional, default, builtin, _ in self.params:
            t = "std::string_view" if base == "string" else "bool"
            if optional:
                decl = f"std::optional<{t}> {snake(name)};"
            elif base == "bool":
                decl = f"bool {snake(name)} = {'true' if default else 'false'};"
            else:
                decl = f"std::string_view {snake(name)} = {cpp_str(default)};"
            note = f"builtIn {builtin}" if builtin else "no builtIn: left at its default"
            o.append(f"    {decl} // {name}, {note}\n")
        o.append("};\n\n")
        o.append("/// The parameters from the builtIns (cleanroomsml::endpoint_params: region,\n"
                 "/// use_fips, use_dual_stack, endpoint). An empty region is an unset one.\n")
        o.append("template <class BuiltIns>\nparams make_params(BuiltIns const& b)\n{\n    params p;\n")
        for name, base, optional, default, builtin, _ in self.params:
            if builtin:
                o.append("    " + BUILTINS[builtin][1].format(name=snake(name)) + "\n")
        o.append("    return p;\n}\n\n")

        # The rules.
        scope = {}
        self.out(1, "// Parameters by their rule-set names.")
        for name, base, optional, default, builtin, required in self.params:
            self.out(1, f"[[maybe_unused]] auto const& p_{snake(name)} = p.{snake(name)}; // {name}")
            scope[name] = Value(f"p_{snake(name)}", base, optional, is_ref=True)
        for name, base, optional, default, builtin, required in self.params:
            if required and optional:
                self.out(1, f"if (!p_{snake(name)})")
                self.out(2, f"return rule_result::failure({cpp_str('Missing required parameter: ' + name)});")
                scope[name] = Value(f"(*p_{snake(name)})", base)
        self.lines.append("\n")
        if not self.rule_list(self.rules["rules"], scope, 1):
            self.out(1, f"return rule_result::failure({cpp_str(NO_MATCH)});")

        o.append("// ---------------------------------------------------------------- rules\n\n")
        o.append(f"/// The rule set (version {self.rules.get('version', '')}) applied to p: an endpoint or the\n"
                 "/// message of the error rule that matched.\n")
        o.append("inline rule_result resolve(params const& p)\n{\n")
        o.extend(self.lines)
        o.append("}\n")
        return "".join(o)


def translate(rules, partitions_data, namespace, guard, sources, signing_name):
    parts = Partitions(partitions_data)
    tr = Translator(rules, parts)
    rules_text = tr.emit()
    funcs = ", ".join(sorted(tr.used_functions))
    o = []
    o.append(f"// Generated by codegen/endpoints.py from {', '.join(sources)}. Do not edit.\n")
    o.append(f"#ifndef {guard}\n#define {guard}\n\n")
    o.append(f"// The endpoint rules as C++; functions used: {funcs}.\n"
             "// Internal: included by <cleanroomsml/impl/endpoint.ipp> (and the tests) only.\n\n")
    o.append("#include <cleanroomsml/detail/endpoint_lib.hpp>\n")
    o.append("#include <cleanroomsml/detail/pattern.hpp>\n\n")
    o.append("#include <algorithm>\n#include <array>\n#include <cstddef>\n#include <iterator>\n"
             "#include <optional>\n#include <string_view>\n#include <utility>\n\n")
    o.append(f"namespace {namespace} {{\n\n")
    o.append("using cleanroomsml::detail::endpoint_lib::rule_result;\n\n")
    if signing_name:
        o.append("/// SigV4 signing name of the service (service.json metadata.signingName), for\n"
                 "/// endpoints whose rules name none.\n")
        o.append(f"inline constexpr std::string_view default_signing_name = {cpp_str(signing_name)};\n\n")
    o.append(parts.emit())
    o.append(rules_text)
    o.append(f"\n}} // namespace {namespace}\n\n#endif\n")
    return "".join(o)


def load(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        return json.load(f)


def outputs(root=ROOT):
    files = {}
    partitions = load(root, PARTITIONS_SRC)
    service = load(root, SERVICE_SRC)
    signing_name = service["metadata"].get("signingName") or service["metadata"]["endpointPrefix"]
    files["include/cleanroomsml/model/endpoint_rules.hpp"] = translate(
        load(root, RULES_SRC), partitions, "cleanroomsml::detail::endpoint_rules",
        "CLEANROOMSML_MODEL_ENDPOINT_RULES_HPP", [RULES_SRC, PARTITIONS_SRC, SERVICE_SRC], signing_name)
    if os.path.exists(os.path.join(root, SYNTHETIC_SRC)):
        files["tests/endpoint_synthetic_rules.hpp"] = translate(
            load(root, SYNTHETIC_SRC), partitions, "synthetic_rules",
            "CLEANROOMSML_TESTS_ENDPOINT_SYNTHETIC_RULES_HPP", [SYNTHETIC_SRC, PARTITIONS_SRC], None)
    return files


def main(argv):
    check = "--check" in argv
    stale = []
    for rel, text in outputs(ROOT).items():
        path = os.path.join(ROOT, rel)
        old = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                old = f.read()
        if old == text:
            continue
        if check:
            stale.append(rel)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print("wrote", rel)
    if stale:
        print("stale generated files (run python3 codegen/endpoints.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
