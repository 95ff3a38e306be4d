"""Loads event files with TensorBoard's own Python loader and prints what it sees as JSON.

Usage: python3 read_with_tensorboard.py <run dir> [<run dir> ...]

This is the loader behind `tensorboard --load_fast=false` (plugin_event_accumulator), plus the
legacy EventAccumulator for scalars. The test that calls it compares every tag and value with
what was written.
"""

import hashlib
import io
import json
import sys

from tensorboard.backend.event_processing import event_accumulator as legacy
from tensorboard.backend.event_processing import plugin_event_accumulator as pea
from tensorboard.plugins.hparams import plugin_data_pb2
from tensorboard.util import tensor_util

try:
    from PIL import Image
except ImportError:  # pillow comes with tensorboard, but the check is optional
    Image = None


def pixels_sha256(png):
    if Image is None:
        return None
    img = Image.open(io.BytesIO(png))
    img.load()
    return {"mode": img.mode, "size": list(img.size), "sha256": hashlib.sha256(img.tobytes()).hexdigest()}


def read_run(path):
    acc = pea.EventAccumulator(path, size_guidance={pea.TENSORS: 0})
    acc.Reload()
    out = {"plugins": {}, "scalars": {}, "images": {}, "histograms": {}, "text": {}, "hparams": {}}
    for tag in acc.Tags()[pea.TENSORS]:
        plugin = acc.SummaryMetadata(tag).plugin_data.plugin_name
        out["plugins"][tag] = plugin
        events = acc.Tensors(tag)
        if plugin == "scalars":
            out["scalars"][tag] = [[e.step, float(tensor_util.make_ndarray(e.tensor_proto))] for e in events]
        elif plugin == "images":
            rows = []
            for e in events:
                arr = tensor_util.make_ndarray(e.tensor_proto)
                rows.append([e.step, int(arr[0]), int(arr[1]), [pixels_sha256(png) for png in arr[2:]]])
            out["images"][tag] = rows
        elif plugin == "histograms":
            out["histograms"][tag] = [[e.step, tensor_util.make_ndarray(e.tensor_proto).tolist()] for e in events]
        elif plugin == "text":
            rows = []
            for e in events:
                arr = tensor_util.make_ndarray(e.tensor_proto)
                rows.append([e.step, list(arr.shape), [s.decode("utf-8") for s in arr.flatten().tolist()]])
            out["text"][tag] = rows
    try:
        hparams_content = acc.PluginTagToContent("hparams")
    except KeyError:  # no hparams in this run
        hparams_content = {}
    for tag, content in hparams_content.items():
        data = plugin_data_pb2.HParamsPluginData.FromString(content)
        which = data.WhichOneof("data")
        if which == "session_start_info":
            info = data.session_start_info
            hp = {}
            for k, v in info.hparams.items():
                kind = v.WhichOneof("kind")
                hp[k] = None if kind == "null_value" else getattr(v, kind)
            out["hparams"]["session_start_info"] = {"hparams": hp, "group_name": info.group_name}
        elif which == "session_end_info":
            out["hparams"]["session_end_info"] = {"status": data.session_end_info.status}
        elif which == "experiment":
            exp = data.experiment
            out["hparams"]["experiment"] = {
                "hparams": [h.name for h in exp.hparam_infos],
                "metrics": [m.name.tag for m in exp.metric_infos],
            }
    # the legacy accumulator reads simple_value scalars directly: check it agrees
    old = legacy.EventAccumulator(path, size_guidance={legacy.SCALARS: 0})
    old.Reload()
    out["legacy_scalars"] = {tag: [[e.step, e.value] for e in old.Scalars(tag)] for tag in old.Tags()[legacy.SCALARS]}
    out["file_version"] = old.file_version
    return out


print(json.dumps({path: read_run(path) for path in sys.argv[1:]}))
