#!/usr/bin/env python3
"""Generates the model headers from the service model.

    python3 codegen/generate.py           # write the headers
    python3 codegen/generate.py --check   # exit 1 if a committed header is stale

Two inputs share one intermediate form and one emitter:
  * codegen/model/service.json + paginators.json (botocore format), the
    Clean Rooms ML API -> include/cleanroomsml/model/*.hpp
  * tests/data/restjson1/shapes.json (the Smithy restJson1 protocol test
    service, summarised) -> tests/restjson1/model.hpp, so the conformance
    tests exercise the same reflection and codec.
  * codegen/model/endpoint-rule-set.json + partitions.json, through
    codegen/endpoints.py -> include/cleanroomsml/model/endpoint_rules.hpp.
"""

import json
import keyword
import os
import re
import sys
import dataclasses
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docs  # noqa: E402

CPP_KEYWORDS = set("""alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t
char16_t char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
co_return co_yield decltype default delete do double dynamic_cast else enum explicit export extern false
float for friend goto if inline int long mutable namespace new noexcept not not_eq nullptr operator or
or_eq private protected public register reinterpret_cast requires return short signed sizeof static
static_assert static_cast struct switch template this thread_local throw true try typedef typeid typename
union unsigned using virtual void volatile wchar_t while xor xor_eq""".split())


def snake(name):
    """audienceModelArn -> audience_model_arn, S3ConfigMap -> s3_config_map, UUID -> uuid."""
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    s = re.sub(r"[^A-Za-z0-9]+", "_", s).strip("_").lower()
    if s in CPP_KEYWORDS or s in ("min", "max"):
        s += "_"
    return s


def enum_constant(value):
    s = snake(value)
    if not s or s[0].isdigit():
        s = "v_" + s
    return s


# ---------------------------------------------------------------- intermediate form

@dataclass
class TypeRef:
    kind: str               # string enum integer long byte short float double boolean timestamp list map structure
    shape: str = ""         # model shape name (enum/structure/constrained scalar)
    element: "TypeRef" = None
    ts_format: str = ""     # timestamp format on the target shape


@dataclass
class Rules:
    name: str
    min_length: int = -1
    max_length: int = -1
    min: float = None
    max: float = None
    pattern: str = None
    reserved_prefix: str = ""
    enumeration: bool = False
    element: str = None
    key: str = None


@dataclass
class Member:
    name: str               # the model's member name
    wire: str
    type: TypeRef
    location: str = "body"  # body label greedy_label query query_map header
    required: bool = False
    ts_format: str = ""     # resolved: date_time epoch_seconds http_date
    rules: str = None
    idempotency: bool = False
    boxed: bool = False
    doc: str = ""


@dataclass
class Struct:
    name: str
    members: list
    error_status: int = 0
    doc: str = ""
    model_name: str = ""    # the model's shape name when the C++ type is a per-operation copy
    union: bool = False     # exactly one member is set


@dataclass
class Operation:
    name: str
    method: str
    uri: str
    status: int
    input: str
    output: str
    errors: list
    idempotent: bool


@dataclass
class Model:
    namespace: str
    structs: dict = field(default_factory=dict)
    enums: dict = field(default_factory=dict)      # name -> (values, doc)
    rules: dict = field(default_factory=dict)      # name -> Rules
    operations: list = field(default_factory=list)
    paginators: dict = field(default_factory=dict)
    synthetic: set = field(default_factory=set)    # empty structs made for missing inputs/outputs


def cpp_type(model, t):
    q = model.namespace
    k = t.kind
    if k == "string":
        return "std::string"
    if k == "enum":
        return f"{q}::{snake(t.shape)}"
    if k == "structure":
        return f"{q}::{snake(t.shape)}"
    if k == "list":
        e = cpp_type(model, t.element)
        if t.element.kind == "boolean":
            # std::vector<bool> packs bits: its elements have no address, and
            # the runtime tables (detail::type_info) hand out element pointers.
            e = f"cleanroomsml::box<{e}>"
        return f"std::vector<{e}>"
    if k == "map":
        return f"std::map<std::string, {cpp_type(model, t.element)}>"
    return {"integer": "std::int32_t", "long": "std::int64_t", "byte": "std::int8_t", "short": "std::int16_t",
            "float": "float", "double": "double", "boolean": "bool",
            "timestamp": "cleanroomsml::timestamp"}[k]


def default_ts(location):
    return {"header": "http_date", "body": "epoch_seconds"}.get(location, "date_time")


TS_NAMES = {"iso8601": "date_time", "date-time": "date_time", "unixTimestamp": "epoch_seconds",
            "epoch-seconds": "epoch_seconds", "rfc822": "http_date", "http-date": "http_date"}


def innermost(t):
    while t.kind in ("list", "map"):
        t = t.element
    return t


# ---------------------------------------------------------------- botocore input

EXTRA_RULES = {"TagKey": {"reserved_prefix": "aws:"}}


def load_botocore(service_path, paginators_path):
    svc = json.load(open(service_path))
    pag = json.load(open(paginators_path))["pagination"]
    shapes = svc["shapes"]
    m = Model(namespace="cleanroomsml")

    def rules_for(name):
        """Name of the Rules for shape `name`, or None when it has no constraints."""
        if name in m.rules:
            return name
        s = shapes[name]
        t = s["type"]
        r = Rules(name=name)
        has = False
        if t == "string":
            if "min" in s: r.min_length, has = s["min"], True
            if "max" in s: r.max_length, has = s["max"], True
            if "pattern" in s: r.pattern, has = s["pattern"], True
            if "enum" in s: r.enumeration, has = True, True
        elif t in ("integer", "long", "double", "float"):
            if "min" in s: r.min, has = s["min"], True
            if "max" in s: r.max, has = s["max"], True
        elif t in ("list", "map"):
            if "min" in s: r.min_length, has = s["min"], True
            if "max" in s: r.max_length, has = s["max"], True
            if t == "list":
                r.element = rules_for(s["member"]["shape"])
            else:
                r.key = rules_for(s["key"]["shape"])
                r.element = rules_for(s["value"]["shape"])
            has = has or r.element is not None or r.key is not None
        for k, v in EXTRA_RULES.get(name, {}).items():
            setattr(r, k, v)
            has = True
        if not has:
            return None
        m.rules[name] = r
        return name

    def typeref(name):
        s = shapes[name]
        t = s["type"]
        if t == "string":
            return TypeRef("enum", name) if "enum" in s else TypeRef("string", name)
        if t == "list":
            return TypeRef("list", name, typeref(s["member"]["shape"]))
        if t == "map":
            return TypeRef("map", name, typeref(s["value"]["shape"]))
        if t == "timestamp":
            return TypeRef("timestamp", name, ts_format=TS_NAMES.get(s.get("timestampFormat", ""), ""))
        if t == "structure":
            return TypeRef("structure", name)
        return TypeRef(t, name)

    locations = {None: "body", "uri": "label", "querystring": "query", "header": "header"}
    for name, s in shapes.items():
        if s["type"] == "string" and "enum" in s:
            m.enums[name] = (s["enum"], docs.ENUMS.get(name, ""))
        if s["type"] != "structure":
            continue
        req = set(s.get("required", []))
        members = []
        for mname, ms in s["members"].items():
            loc = locations[ms.get("location")]
            t = typeref(ms["shape"])
            ts = TS_NAMES.get(ms.get("timestampFormat", ""), "") or innermost(t).ts_format or default_ts(loc)
            members.append(Member(
                name=mname, wire=ms.get("locationName", mname), type=t, location=loc,
                required=mname in req, ts_format=ts, rules=rules_for(ms["shape"]),
                idempotency=bool(ms.get("idempotencyToken")),
                doc=docs.MEMBERS.get(f"{name}.{mname}", "")))
        status = s.get("error", {}).get("httpStatusCode", 0) if s.get("exception") else 0
        m.structs[name] = Struct(name, members, status, docs.SHAPES.get(name, ""), union=bool(s.get("union")))

    for name, op in svc["operations"].items():
        inp = op.get("input", {}).get("shape") or f"{name}Request"
        out = op.get("output", {}).get("shape") or f"{name}Response"
        for io, what in ((inp, "Input"), (out, "Output")):
            if io not in m.structs:
                m.structs[io] = Struct(io, [])
                m.synthetic.add(io)
        m.structs[inp].doc = m.structs[inp].doc or f"Input of {name}."
        m.structs[out].doc = m.structs[out].doc or (
            f"Output of {name} (the operation returns no members)." if out in m.synthetic else f"Output of {name}.")
        m.operations.append(Operation(
            name, op["http"]["method"], op["http"]["requestUri"], op["http"].get("responseCode", 200),
            inp, out, [e["shape"] for e in op.get("errors", [])], bool(op.get("idempotent"))))
        if name in pag:
            m.paginators[name] = pag[name]
    mark_greedy(m)
    return m


def mark_greedy(m):
    for op in m.operations:
        for label in re.findall(r"\{([^}]+)\+\}", op.uri):
            for mem in m.structs[op.input].members:
                if mem.wire == label and mem.location == "label":
                    mem.location = "greedy_label"


# ---------------------------------------------------------------- restJson1 test service input

# Types of the protocol test service that Clean Rooms ML does not use and the
# codec does not have; members of these types are left out of the test model.
UNSUPPORTED_TEST_TYPES = {"blob", "document"}


def load_restjson(shapes_path):
    data = json.load(open(shapes_path))
    shapes = data["shapes"]
    m = Model(namespace="restjson")

    scalar = {"string", "integer", "long", "byte", "short", "float", "double", "boolean", "timestamp"}

    def parse_type(text, target=None):
        text = text.strip()
        g = re.fullmatch(r"(list|set)<(.*)>", text)
        if g:
            return TypeRef("list", "", parse_type(g.group(2)))
        g = re.fullmatch(r"map<\s*string\s*,(.*)>", text)
        if g:
            return TypeRef("map", "", parse_type(g.group(1)))
        g = re.fullmatch(r"(?:structure|union) (\w+)", text)
        if g:
            return TypeRef("structure", g.group(1))
        g = re.fullmatch(r"enum (\w+)", text)
        if g:
            return TypeRef("enum", g.group(1))
        g = re.fullmatch(r"intEnum (\w+)", text)
        if g:
            return TypeRef("integer", g.group(1))
        g = re.fullmatch(r"timestamp\((.*)\)", text)
        if g:
            return TypeRef("timestamp", "", ts_format=TS_NAMES[g.group(1)])
        if text in scalar:
            return TypeRef(text)
        if text in shapes:  # a named list/map/timestamp shape
            return resolve_named(text)
        raise SystemExit(f"restjson1: unknown type {text!r}")

    def resolve_named(name):
        s = shapes[name]
        if s["type"] in ("list", "map"):
            return parse_type(s["definition"] if "definition" in s else f"{s['type']}<{s['member']}>")
        if s["type"] == "timestamp":
            return TypeRef("timestamp", ts_format=TS_NAMES.get(s.get("format", ""), ""))
        raise SystemExit(f"restjson1: cannot resolve {name}")

    bindings = {"body": "body", "header": "header", "query": "query", "queryParams": "query_map",
                "label": "label", None: "body"}
    # Smithy ignores @httpLabel, @httpQuery and @httpQueryParams outside
    # operation inputs: in an output or error structure such a member is an
    # ordinary body member (RestJsonIgnoreQueryParamsInResponse).
    ops = data["operations"].values()
    inputs = {op.get("input") for op in ops} - {None}
    not_input = {op.get("output") for op in ops} | {e for op in ops for e in op.get("errors", [])}
    response_only = not_input - inputs - {None}
    for name, s in shapes.items():
        if s["type"] == "enum":
            m.enums[name] = (list(s["values"].values()) if isinstance(s["values"], dict) else s["values"], "")
        if s["type"] not in ("structure", "union"):
            continue
        members = []
        for ms in s["members"]:
            if ms["type"].strip() in UNSUPPORTED_TEST_TYPES:
                continue  # the codec has no such type: the cases using it are on the skip list
            loc = bindings[ms.get("binding")]
            if name in response_only and loc in ("label", "query", "query_map"):
                loc = "body"
            t = parse_type(ms["type"])
            wire = ms.get("jsonName") if loc == "body" else ms.get("bindingName")
            ts = TS_NAMES.get(ms.get("timestampFormat", ""), "") or innermost(t).ts_format or default_ts(loc)
            members.append(Member(name=ms["name"], wire=wire or ms["name"], type=t, location=loc,
                                  required=bool(ms.get("required")), ts_format=ts,
                                  idempotency=bool(ms.get("idempotencyToken"))))
        m.structs[name] = Struct(name, members, s.get("httpError", 0) if s.get("error") else 0,
                                 union=s["type"] == "union")

    used_inputs = set()
    for name, op in data["operations"].items():
        inp = op.get("input") or f"{name}Input"
        out = op.get("output") or f"{name}Output"
        for io in (inp, out):
            if io not in m.structs:
                m.structs[io] = Struct(io, [])
                m.synthetic.add(io)
        if inp in used_inputs:
            # operation_traits is keyed by the input type, so an input shape
            # shared by several operations (TestGetNoPayload and
            # TestPostNoPayload) gets one C++ copy per later operation.
            shared = m.structs[inp]
            copy = f"{name}Input"
            if copy in m.structs:
                raise SystemExit(f"restjson1: cannot copy shared input {inp} of {name}: {copy} exists")
            m.structs[copy] = Struct(copy, copy_members(shared.members), shared.error_status, shared.doc,
                                     shared.model_name or shared.name)
            inp = copy
        used_inputs.add(inp)
        m.operations.append(Operation(name, op["method"], op["uri"], op.get("code", 200), inp, out,
                                      op.get("errors", []), False))
    mark_greedy(m)
    return m


def copy_members(members):
    return [dataclasses.replace(mem) for mem in members]


# ---------------------------------------------------------------- ordering

def order_structs(m):
    """Dependencies first; a member that closes a cycle is boxed."""
    done, visiting, order = set(), set(), []

    def deps(t):
        t = innermost(t)
        return [t.shape] if t.kind == "structure" else []

    def visit(name):
        if name in done:
            return
        visiting.add(name)
        for mem in m.structs[name].members:
            for d in deps(mem.type):
                if d in visiting:
                    mem.boxed = True
                else:
                    visit(d)
        visiting.discard(name)
        done.add(name)
        order.append(name)

    for name in sorted(m.structs):
        visit(name)
    return order


# ---------------------------------------------------------------- emitters

HEADER = "// Generated by codegen/generate.py from {src}. Do not edit.\n"


def comment(text, indent=""):
    return f"{indent}/// {text}\n" if text else ""


def member_cpp_type(m, mem):
    t = cpp_type(m, mem.type)
    if mem.boxed:
        t = f"cleanroomsml::box<{t}>"
        return f"std::optional<{t}>"
    return t if mem.required else f"std::optional<{t}>"


def emit_enums(m, guard, src):
    out = [HEADER.format(src=src), f"#ifndef {guard}\n#define {guard}\n\n",
           "#include <cleanroomsml/open_enum.hpp>\n\n#include <array>\n#include <string_view>\n\n",
           f"namespace {m.namespace} {{\n"]
    for name in sorted(m.enums):
        values, doc = m.enums[name]
        cpp = snake(name)
        out.append("\n" + comment(doc or f"Open enumeration {name}."))
        out.append(f"struct {cpp} : cleanroomsml::open_enum<{cpp}> {{\n")
        out.append(f"    using open_enum::open_enum;\n")
        for v in values:
            out.append(f'    static constexpr cleanroomsml::enum_constant<{cpp}> {enum_constant(str(v))}{{"{v}"}};\n')
        vals = ", ".join(f'"{v}"' for v in values)
        out.append(f"    static constexpr std::array<std::string_view, {len(values)}> known_values{{{vals}}};\n")
        out.append("};\n")
    out.append(f"\n}} // namespace {m.namespace}\n\n#endif\n")
    return "".join(out)


def emit_shapes(m, order, guard, src, enums_include):
    out = [HEADER.format(src=src), f"#ifndef {guard}\n#define {guard}\n\n",
           f"#include <{enums_include}>\n#include <cleanroomsml/box.hpp>\n#include <cleanroomsml/timestamp.hpp>\n\n",
           "#include <cstdint>\n#include <map>\n#include <optional>\n#include <string>\n#include <vector>\n\n",
           f"namespace {m.namespace} {{\n"]
    # Forward declarations let boxed members name later structures.
    boxed_targets = sorted({innermost(mem.type).shape for s in m.structs.values() for mem in s.members if mem.boxed})
    if boxed_targets:
        out.append("\n" + "".join(f"struct {snake(n)};\n" for n in boxed_targets))
    for name in order:
        s = m.structs[name]
        out.append("\n" + comment(s.doc))
        if s.union:
            out.append(comment("A union: exactly one member is set (validation rejects none or several)."))
        out.append(f"struct {snake(name)} {{\n")
        for mem in s.members:
            out.append(comment(mem.doc, "    "))
            # `{}` keeps every member initialized and lets designated initializers
            # omit members without -Wmissing-field-initializers noise.
            out.append(f"    {member_cpp_type(m, mem)} {snake(mem.name)}{{}};\n")
        if s.members:
            out.append("\n")
        out.append(f"    bool operator==({snake(name)} const&) const = default;\n")
        out.append("};\n")
    out.append(f"\n}} // namespace {m.namespace}\n\n#endif\n")
    return "".join(out)


def fmt_num(v):
    return repr(float(v)) if isinstance(v, float) and not float(v).is_integer() else str(int(v))


def cpp_string(s):
    return "R\"re(" + s + ")re\""


def emit_reflection(m, order, guard, src, shapes_include, extern_tables=False):
    ns = m.namespace
    out = [HEADER.format(src=src), f"#ifndef {guard}\n#define {guard}\n\n",
           f"#include <{shapes_include}>\n#include <cleanroomsml/detail/pattern.hpp>\n"
           f"#include <cleanroomsml/detail/type_info.hpp>\n#include <cleanroomsml/shape.hpp>\n\n"]
    if m.rules:
        out.append(f"namespace {ns}::rules {{\n\n")
        emitted = set()

        def emit_rule(name):
            if name in emitted:
                return
            r = m.rules[name]
            for dep in (r.element, r.key):
                if dep:
                    emit_rule(dep)
            emitted.add(name)
            cpp = snake(name)
            fields = []
            if r.pattern is not None:
                out.append(f"inline cleanroomsml::detail::pattern const& {cpp}_pattern()\n{{\n"
                           f"    static cleanroomsml::detail::pattern const p{{{cpp_string(r.pattern)}}};\n"
                           f"    return p;\n}}\n")
            if r.min_length >= 0: fields.append(f".min_length = {r.min_length}")
            if r.max_length >= 0: fields.append(f".max_length = {r.max_length}")
            if r.min is not None: fields.append(".has_min = true")
            if r.max is not None: fields.append(".has_max = true")
            if r.min is not None: fields.append(f".min = {fmt_num(r.min)}")
            if r.max is not None: fields.append(f".max = {fmt_num(r.max)}")
            if r.pattern is not None: fields.append(f".pattern = &{cpp}_pattern")
            if r.reserved_prefix: fields.append(f'.reserved_prefix = "{r.reserved_prefix}"')
            if r.enumeration: fields.append(".enumeration = true")
            if r.element: fields.append(f".element = &{snake(r.element)}")
            if r.key: fields.append(f".key = &{snake(r.key)}")
            out.append(f"inline constexpr cleanroomsml::value_rules {cpp}{{{', '.join(fields)}}};\n")

        for name in sorted(m.rules):
            emit_rule(name)
        out.append(f"\n}} // namespace {ns}::rules\n\n")

    # offsetof on these aggregates (not standard-layout: std::string members)
    # is conditionally supported; GCC and clang support it for classes without
    # virtual bases, and say so with -Winvalid-offsetof.
    out.append("#include <cstddef>\n\n#if defined(__GNUC__)\n#pragma GCC diagnostic push\n"
               "#pragma GCC diagnostic ignored \"-Winvalid-offsetof\"\n#endif\n\n")
    out.append("namespace cleanroomsml {\n")
    for name in order:
        s = m.structs[name]
        cpp = f"{ns}::{snake(name)}"
        out.append(f"\ntemplate <>\nstruct shape_traits<{cpp}> {{\n    using T = {cpp};\n")
        out.append(f'    static constexpr std::string_view name = "{s.model_name or name}";\n')
        if s.error_status:
            out.append(f"    static constexpr int http_status = {s.error_status};\n")
        if s.union:
            out.append("    static constexpr bool is_union = true;\n")
        if not s.members:
            out.append("    static constexpr member_list<> members{};\n};\n")
            continue
        out.append("    static constexpr auto members = cleanroomsml::members(\n")
        rows = []
        for mem in s.members:
            has_ts = innermost(mem.type).kind == "timestamp"
            args = [f'"{mem.wire}"', f"&T::{snake(mem.name)}", f"offsetof(T, {snake(mem.name)})",
                    f"http_location::{mem.location}",
                    f"timestamp_format::{mem.ts_format}" if has_ts else "{}",
                    f"&{ns}::rules::{snake(mem.rules)}" if mem.rules else "nullptr"]
            if mem.idempotency or mem.name != mem.wire:
                args.append("true" if mem.idempotency else "false")
            if mem.name != mem.wire:
                args.append(f'"{mem.name}"')
            rows.append(f"        member({', '.join(args)})")
        out.append(",\n".join(rows) + ");\n};\n")
    out.append("\n} // namespace cleanroomsml\n\n#if defined(__GNUC__)\n#pragma GCC diagnostic pop\n#endif\n")
    if extern_tables:
        out.append("\n// Compiled once in src.hpp (model/type_tables.ipp) in separate compilation.\n"
                   "#ifdef CLEANROOMSML_SEPARATE_COMPILATION\n" + emit_table_instantiations(m, "extern ") +
                   "#endif\n")
    out.append("\n#endif\n")
    return "".join(out)


def table_types(m):
    """The C++ types whose table functions (detail/type_info.hpp) the model
    needs: member slots, lists, maps and strings, each once."""
    slots, lists, maps, strings = set(), set(), set(), set()

    def walk(t):
        cpp = cpp_type(m, t)
        if t.kind == "list":
            lists.add(cpp)
            walk(t.element)
        elif t.kind == "map":
            maps.add(cpp)
            walk(t.element)
        elif t.kind in ("string", "enum"):
            strings.add(cpp)

    for s in m.structs.values():
        for mem in s.members:
            slots.add(member_cpp_type(m, mem))
            walk(mem.type)
    return sorted(slots), sorted(lists), sorted(maps), sorted(strings)


def emit_table_instantiations(m, prefix):
    """`template struct ...;` lines for every table function type, after `prefix`."""
    slots, lists, maps, strings = table_types(m)
    rows = ([f"slot_ops_of<{t}>" for t in slots] + [f"list_ops_of<{t}>" for t in lists] +
            [f"map_ops_of<{t}>" for t in maps] + [f"string_ops_of<{t}>" for t in strings])
    return "".join(f"{prefix}template struct cleanroomsml::detail::{r};\n" for r in rows)


def emit_type_tables_ipp(m, guard, src):
    return (HEADER.format(src=src) + f"#ifndef {guard}\n#define {guard}\n\n"
            "// The table functions of every type of the model, compiled once (src.hpp);\n"
            "// model/reflection.hpp declares them extern in separate compilation.\n\n"
            "#include <cleanroomsml/model/reflection.hpp>\n\n" + emit_table_instantiations(m, "") + "\n#endif\n")


def emit_operations(m, guard, src, reflection_include):
    ns = m.namespace
    out = [HEADER.format(src=src), f"#ifndef {guard}\n#define {guard}\n\n",
           f"#include <{reflection_include}>\n#include <cleanroomsml/operation.hpp>\n\n#include <array>\n\n"]
    out.append("namespace cleanroomsml {\n")
    for op in m.operations:
        inp, outp = f"{ns}::{snake(op.input)}", f"{ns}::{snake(op.output)}"
        errs = ", ".join(f'"{e}"' for e in op.errors)
        out.append(f"\ntemplate <>\nstruct operation_traits<{inp}> {{\n    using request = {inp};\n    using response = {outp};\n")
        out.append(f'    static constexpr operation_info info{{"{op.name}", "{op.method}", "{op.uri}", {op.status}, '
                   f'{"true" if op.idempotent else "false"}}};\n')
        out.append(f"    static constexpr std::array<std::string_view, {len(op.errors)}> errors{{{errs}}};\n}};\n")
    for name, p in sorted(m.paginators.items()):
        op = next(o for o in m.operations if o.name == name)
        inp, outp = f"{ns}::{snake(op.input)}", f"{ns}::{snake(op.output)}"
        items = next(mem for mem in m.structs[op.output].members if mem.name == p["result_key"])
        out.append(f"\ntemplate <>\nstruct paginator_traits<{inp}> {{\n    using request = {inp};\n    using response = {outp};\n")
        out.append(f"    using item = {cpp_type(m, items.type.element)};\n")
        out.append(f"    static constexpr auto input_token = &request::{snake(p['input_token'])};\n")
        out.append(f"    static constexpr auto output_token = &response::{snake(p['output_token'])};\n")
        out.append(f"    static constexpr auto limit = &request::{snake(p['limit_key'])};\n")
        out.append(f"    static constexpr auto items = &response::{snake(p['result_key'])};\n}};\n")
    out.append("\n} // namespace cleanroomsml\n\n")
    # One list of every operation, for code that must name each of them once
    # (the client's member functions).
    out.append(f"// X(snake_name, request type)\n#define {ns.upper()}_FOR_EACH_OPERATION(X)")
    for op in m.operations:
        out.append(f" \\\n    X({snake(op.name)}, {ns}::{snake(op.input)})")
    out.append("\n\n#endif\n")
    return "".join(out)


def emit_client(m, guard, src):
    """The client's member functions, one group of overloads per operation and
    waiter, as a base class of cleanroomsml::client (client.hpp)."""
    import waiters as W
    ns = m.namespace
    ops = {op.name: op for op in m.operations}
    out = [HEADER.format(src=src + " and codegen/waiters.py"), f"#ifndef {guard}\n#define {guard}\n\n",
           "// The operations and waiters of cleanroomsml::client. Every overload forwards\n"
           "// to the one driver (detail/call.hpp, detail/waiter.hpp); nothing here runs\n"
           "// per operation but the choice of types.\n\n",
           "#include <cleanroomsml/call_options.hpp>\n#include <cleanroomsml/detail/call.hpp>\n"
           "#include <cleanroomsml/detail/waiter.hpp>\n#include <cleanroomsml/diagnostics.hpp>\n"
           "#include <cleanroomsml/model/operations.hpp>\n#include <cleanroomsml/wait_options.hpp>\n"
           "#include <cleanroomsml/with_diagnostics.hpp>\n\n#include <memory>\n#include <string>\n#include <utility>\n\n",
           "namespace cleanroomsml::detail {\n"]

    def status_enum(op):
        resp = m.structs[op.output]
        mem = next(x for x in resp.members if x.name == "status")
        return m.enums[mem.type.shape][0]

    def arr(values):
        vals = ", ".join(f'"{v}"' for v in values)
        return f"std::array<std::string_view, {len(values)}>{{{vals}}}"

    # What the waiters poll and which statuses end a wait.
    for w in W.WAITERS:
        op = ops[w.get]
        req = f"{ns}::{snake(op.input)}"
        statuses = status_enum(op)
        arn = next(x for x in m.structs[op.input].members if x.location == "label" and x.wire.endswith("Arn"))
        a_ok, a_fail = W.active_rules(statuses)
        d_ok, d_fail = W.deleted_rules(w.resource, statuses)
        out.append(f"\ntemplate <>\nstruct waited_resource<{req}> {{\n")
        out.append(f'    static constexpr std::string_view name = "{w.noun}";\n')
        out.append(f"    static constexpr auto arn = &{req}::{snake(arn.name)};\n")
        out.append(f"    static constexpr auto active_success = {arr(a_ok)};\n")
        out.append(f"    static constexpr auto active_failure = {arr(a_fail)};\n")
        if w.deletable:
            out.append(f"    static constexpr auto deleted_success = {arr(d_ok)};\n")
            out.append(f"    static constexpr auto deleted_failure = {arr(d_fail)};\n")
        out.append("};\n")
    for w in W.LISTED_WAITERS:
        op = ops[w.listing]
        req = f"{ns}::{snake(op.input)}"
        item = innermost(next(x for x in m.structs[op.output].members
                              if x.name == m.paginators[w.listing]["result_key"]).type)
        statuses = m.enums[next(x for x in m.structs[item.shape].members if x.name == w.item_status).type.shape][0]
        a_ok, a_fail = W.active_rules(statuses)
        out.append(f"\ntemplate <>\nstruct listed_resource<{req}> {{\n")
        out.append(f'    static constexpr std::string_view name = "{w.noun}";\n')
        out.append(f"    static constexpr auto scope = &{req}::{snake(w.scope)};\n")
        out.append(f"    static constexpr auto active_success = {arr(a_ok)};\n")
        out.append(f"    static constexpr auto active_failure = {arr(a_fail)};\n")
        out.append("};\n")

    out.append("\n/// The member functions of cleanroomsml::client that name an operation or a waiter.\n"
               "class client_operations {\npublic:\n")

    def overloads(doc, name, sig, params, forward, call, prelude=""):
        """Four overloads: [, call_options / wait_options][, diagnostics&], then the token."""
        opt_type = "wait_options" if call.startswith("detail::async_wait") or "wait" in name else "call_options"
        out.append(f"    /// {doc}\n")
        variants = [("", "nullptr", "nullptr", False), ("diagnostics& diag, ", "nullptr", "&diag", True),
                    (f"{opt_type} const& options, ", "&options", "nullptr", True),
                    (f"{opt_type} const& options, diagnostics& diag, ", "&options", "&diag", True)]
        for extra, opt, diag, _ in variants:
            out.append(f"    template <BOOST_ASIO_COMPLETION_TOKEN_FOR({sig}) Token = default_token>\n"
                       f"    auto {name}({params}, {extra}Token&& token = {{}})\n    {{\n")
            out.append(prelude)
            out.append(f"        {call}({forward}, {opt}, {diag}, std::forward<Token>(token));\n    }}\n")

    for op in sorted(m.operations, key=lambda o: snake(o.name)):
        req, resp = f"{ns}::{snake(op.input)}", f"{ns}::{snake(op.output)}"
        doc = f"{op.name}: {op.method} {op.uri}"
        if op.name in m.paginators:
            doc += " (paginated: see client::paginate)"
        overloads(doc, f"async_{snake(op.name)}", f"void(error_code, {resp})", f"{req} request",
                  "impl_, std::move(request)", "return detail::async_call")

    for w in W.WAITERS:
        op = ops[w.get]
        req, resp = f"{ns}::{snake(op.input)}", f"{ns}::{snake(op.output)}"
        arn = next(x for x in m.structs[op.input].members if x.location == "label" and x.wire.endswith("Arn"))
        goals = [("active", f"void(error_code, {resp})", "is ACTIVE; completes with its last Get response")]
        if w.deletable:
            goals.append(("deleted", "void(error_code)", "is deleted" + (" (or INACTIVE: its data deleted)"
                                                                          if w.resource in W.INACTIVE_WHEN_DELETED else "")))
        for goal, sig, what in goals:
            name = f"async_wait_until_{w.resource}_{goal}"
            call = f"return detail::async_wait<{req}, detail::wait_goal::{goal}>"
            overloads(f"Polls {op.name} until the {w.noun} {what}.", name, sig, f"{req} request",
                      "impl_, std::move(request)", call)
            if w.arn_overloads:
                overloads(f"The same, for the {w.noun} with this ARN.", name, sig, "std::string arn",
                          f"impl_, detail::request_for<{req}>(std::move(arn))", call)

    for w in W.LISTED_WAITERS:
        op = ops[w.listing]
        req = f"{ns}::{snake(op.input)}"
        sig = f"void(error_code, paginator_traits<{req}>::item)"
        name = f"async_wait_until_{w.resource}_active"
        call = "return detail::async_wait_listed"
        overloads(f"Polls {op.name} (every page) until the {w.noun} named `name` is ACTIVE; completes with its "
                  "listed summary. One not listed yet keeps it polling.", name, sig,
                  f"{req} listing, std::string name", "impl_, std::move(listing), std::move(name)", call)
        scope = next(x for x in m.structs[op.input].members if x.name == w.scope)
        if not scope.required:
            # The listing scoped by one ARN: the only member a caller must give.
            arg = snake(scope.name)
            overloads(f"The same, for the {w.noun} listed under this {scope.name}.", name, sig,
                      f"std::string {arg}, std::string name", "impl_, std::move(listing), std::move(name)", call,
                      prelude=f"        {req} listing{{}};\n        listing.{arg} = std::move({arg});\n")

    out.append("\nprotected:\n    client_operations() = default;\n    ~client_operations() = default;\n"
               "    client_operations(client_operations&&) noexcept = default;\n"
               "    client_operations& operator=(client_operations&&) noexcept = default;\n\n"
               "    std::shared_ptr<client_impl> impl_;\n};\n\n} // namespace cleanroomsml::detail\n\n")
    # The same lists as X-macros, for code that must name each of them once
    # (tests, the command-line tool).
    out.append("// X(snake name, Get request type, goal)\n#define CLEANROOMSML_FOR_EACH_WAITER(X)")
    for w in W.WAITERS:
        req = f"{ns}::{snake(ops[w.get].input)}"
        for goal in (["active", "deleted"] if w.deletable else ["active"]):
            out.append(f" \\\n    X({w.resource}, {req}, {goal})")
    out.append("\n\n// X(snake name, List request type)\n#define CLEANROOMSML_FOR_EACH_LISTED_WAITER(X)")
    for w in W.LISTED_WAITERS:
        out.append(f" \\\n    X({w.resource}, {ns}::{snake(ops[w.listing].input)})")
    out.append("\n\n// Compiled once in src.hpp (model/client_operations.ipp) in separate compilation.\n"
               "#ifdef CLEANROOMSML_SEPARATE_COMPILATION\n")
    out.append(payload_instantiations(m, "extern "))
    out.append("#endif\n\n#endif\n")
    return "".join(out)


def payload_instantiations(m, prefix):
    return "".join(f"{prefix}template struct cleanroomsml::detail::{t}<{m.namespace}::{snake(op.input)}>;\n"
                   for op in sorted(m.operations, key=lambda o: o.name) for t in ("call_payload",))


def emit_client_ipp(m, guard, src):
    return (HEADER.format(src=src) + f"#ifndef {guard}\n#define {guard}\n\n"
            "// Each operation's call payload (detail/call.hpp), compiled\n"
            "// once (src.hpp);"
            " model/client_operations.hpp declares them extern in separate compilation.\n\n"
            "#include <cleanroomsml/model/client_operations.hpp>\n\n" + payload_instantiations(m, "") + "\n#endif\n")


# ---------------------------------------------------------------- driver

def outputs():
    files = {}
    svc = load_botocore(os.path.join(ROOT, "codegen/model/service.json"),
                        os.path.join(ROOT, "codegen/model/paginators.json"))
    order = order_structs(svc)
    src = "codegen/model/service.json"
    base = "include/cleanroomsml/model"
    files[f"{base}/enums.hpp"] = emit_enums(svc, "CLEANROOMSML_MODEL_ENUMS_HPP", src)
    files[f"{base}/shapes.hpp"] = emit_shapes(svc, order, "CLEANROOMSML_MODEL_SHAPES_HPP", src,
                                              "cleanroomsml/model/enums.hpp")
    files[f"{base}/reflection.hpp"] = emit_reflection(svc, order, "CLEANROOMSML_MODEL_REFLECTION_HPP", src,
                                                      "cleanroomsml/model/shapes.hpp", extern_tables=True)
    files[f"{base}/type_tables.ipp"] = emit_type_tables_ipp(svc, "CLEANROOMSML_MODEL_TYPE_TABLES_IPP", src)
    files[f"{base}/operations.hpp"] = emit_operations(svc, "CLEANROOMSML_MODEL_OPERATIONS_HPP", src,
                                                      "cleanroomsml/model/reflection.hpp")
    files[f"{base}/client_operations.hpp"] = emit_client(svc, "CLEANROOMSML_MODEL_CLIENT_OPERATIONS_HPP", src)
    files[f"{base}/client_operations.ipp"] = emit_client_ipp(svc, "CLEANROOMSML_MODEL_CLIENT_OPERATIONS_IPP", src)

    rj_path = os.path.join(ROOT, "tests/data/restjson1/shapes.json")
    if os.path.exists(rj_path):
        rj = load_restjson(rj_path)
        order = order_structs(rj)
        src = "tests/data/restjson1/shapes.json"
        body = (emit_enums(rj, "RESTJSON_TEST_ENUMS_HPP", src) + "\n" +
                emit_shapes(rj, order, "RESTJSON_TEST_SHAPES_HPP", src, "cleanroomsml/open_enum.hpp") + "\n" +
                emit_reflection(rj, order, "RESTJSON_TEST_REFLECTION_HPP", src, "cleanroomsml/shape.hpp") + "\n" +
                emit_operations(rj, "RESTJSON_TEST_OPERATIONS_HPP", src, "cleanroomsml/shape.hpp"))
        files["tests/restjson1/model.hpp"] = body

    # The endpoint rule set has its own translator.
    import endpoints
    files.update(endpoints.outputs(ROOT))
    return files


def main():
    check = "--check" in sys.argv
    stale = []
    for rel, text in outputs().items():
        path = os.path.join(ROOT, rel)
        old = open(path).read() if os.path.exists(path) else None
        if old == text:
            continue
        if check:
            stale.append(rel)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "w").write(text)
            print("wrote", rel)
    if stale:
        print("stale generated files (run python3 codegen/generate.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
