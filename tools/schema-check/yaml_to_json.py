#!/usr/bin/env python3
"""Converts YAML model files to JSON the way imozuru reads them: only
true/false are booleans (not yes/no/on/off), and dates stay text.
Usage: yaml_to_json.py FILE.yaml            (JSON on stdout)
       yaml_to_json.py OUT_DIR FILE.yaml...  (OUT_DIR/N.json; prints "N.json FILE")"""
import json
import os
import re
import sys

import yaml


class ModelLoader(yaml.SafeLoader):
    pass


# Drop YAML 1.1's bool and timestamp resolvers, then add a YAML 1.2 bool one.
ModelLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ModelLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def convert(path, out):
    with open(path, encoding="utf-8") as f:
        document = yaml.load(f, Loader=ModelLoader)
    json.dump(document if document is not None else {}, out, ensure_ascii=False)


if len(sys.argv) == 2:
    convert(sys.argv[1], sys.stdout)
else:
    for n, path in enumerate(sys.argv[2:]):
        name = f"{n}.json"
        with open(os.path.join(sys.argv[1], name), "w", encoding="utf-8") as out:
            convert(path, out)
        print(name, path)
