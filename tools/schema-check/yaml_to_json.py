#!/usr/bin/env python3
"""Reads a YAML model file and prints it as JSON, the way imozuru reads it:
only true/false are booleans (not yes/no/on/off), and dates stay text."""
import json
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

with open(sys.argv[1], encoding="utf-8") as f:
    document = yaml.load(f, Loader=ModelLoader)
json.dump(document if document is not None else {}, sys.stdout, ensure_ascii=False)
