import json
import pickle
import shelve

import pandas as pd
import yaml
from flask import request


def restore_session(cookie_value):
    raw = bytes.fromhex(cookie_value)
    # ruleid: python.deserialization.pickle
    return pickle.loads(raw)


def load_model(path):
    with open(path, "rb") as fh:
        # ruleid: python.deserialization.pickle
        return pickle.load(fh)


def load_settings():
    # ok: python.deserialization.pickle
    settings = json.loads(request.data)
    # ok: python.deserialization.pickle
    cache = shelve.open("/var/cache/app.db")
    return settings, cache


def import_frame():
    # ruleid: python.deserialization.pickle-wrappers
    frame = pd.read_pickle(request.files["frame"])
    # ok: python.deserialization.pickle-wrappers
    csv = pd.read_csv(request.files["table"])
    return frame, csv


def parse_config(body):
    # ruleid: python.deserialization.yaml-unsafe-load
    first = yaml.load(body)
    # ruleid: python.deserialization.yaml-unsafe-load
    second = yaml.load(body, Loader=yaml.Loader)
    # ruleid: python.deserialization.yaml-unsafe-load
    third = yaml.unsafe_load(body)
    # ok: python.deserialization.yaml-unsafe-load
    fourth = yaml.load(body, Loader=yaml.SafeLoader)
    # ok: python.deserialization.yaml-unsafe-load
    fifth = yaml.safe_load(body)
    # ok: python.deserialization.yaml-unsafe-load
    sixth = yaml.load(body, yaml.CSafeLoader)
    return first, second, third, fourth, fifth, sixth


# Taint: request bodies into object deserializers.
@app.route("/import", methods=["POST"])
def import_state():
    blob = request.get_data()
    # ruleid: python.deserialization.tainted-data, python.deserialization.pickle
    state = pickle.loads(blob)
    cfg = request.form["config"]
    # ruleid: python.deserialization.tainted-data, python.deserialization.yaml-unsafe-load
    settings = yaml.load(cfg, Loader=yaml.Loader)
    # ok: python.deserialization.tainted-data
    safe = yaml.safe_load(cfg)
    # ok: python.deserialization.tainted-data
    also_safe = yaml.load(cfg, Loader=yaml.SafeLoader)
    return str((state, settings, safe, also_safe))


@app.route("/restore", methods=["POST"])
def restore():
    parts = {"state": request.files["state"].read(), "defaults": DEFAULTS_BLOB}
    # ok: python.deserialization.tainted-data; ruleid: python.deserialization.pickle
    defaults = pickle.loads(parts["defaults"])
    # ruleid: python.deserialization.tainted-data, python.deserialization.pickle
    state = pickle.loads(parts["state"])
    blob = request.get_data()
    blob = DEFAULTS_BLOB
    # ok: python.deserialization.tainted-data; ruleid: python.deserialization.pickle
    again = pickle.loads(blob)
    if False:
        # ok: python.deserialization.tainted-data; ruleid: python.deserialization.pickle
        pickle.loads(request.get_data())
    return str((defaults, state, again))
