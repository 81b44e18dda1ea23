"""Validate SARIF logs against the official SARIF 2.1.0 JSON schema with Python's `jsonschema`.

Usage: schema-check.py SCHEMA FILE... ; prints each error and exits 1 if any file is invalid.
`--expect-invalid FILE` inverts the check for one file: it must be rejected.

The vendored schema has one known defect: the `anyOf` that says a region needs `startLine`,
`charOffset` or `byteOffset` is written inside `region.properties`, as if it were a property.
It is moved one level up, where it constrains regions as intended (tests/render.rs does the
same), and the schema is then checked against its meta-schema, so a schema this validator
cannot read fails loudly instead of accepting everything.
"""

import json
import sys

import jsonschema


def load_schema(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    region = schema["definitions"]["region"]
    misplaced = region["properties"].pop("anyOf", None)
    if misplaced is None:
        sys.exit("schema-check: the schema no longer has the misplaced `anyOf`: drop the repair")
    region["anyOf"] = misplaced
    # The schema says which draft it is written in (2020-12). It is checked against that
    # draft's meta-schema without format checks: its `^(?i)...` language-tag patterns do not
    # compile with Python's `re`, and no log here has a language tag.
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class(validator_class.META_SCHEMA).validate(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def errors(validator, path):
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    return [
        f"{path}: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in validator.iter_errors(log)
    ]


def main(argv):
    validator = load_schema(argv[1])
    failed = False
    args = iter(argv[2:])
    for arg in args:
        if arg == "--expect-invalid":
            path = next(args)
            if not errors(validator, path):
                print(f"schema-check: {path} is invalid but was accepted", file=sys.stderr)
                failed = True
            continue
        for line in errors(validator, arg):
            print(line, file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
