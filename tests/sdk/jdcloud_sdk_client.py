"""JD Cloud's own Python SDK as a client of disk-server's signature-checking emulator.

Reads the endpoint (host:port) from DISK_SERVER_ENDPOINT and the keys from JDCLOUD_ACCESS_KEY_ID and
JDCLOUD_ACCESS_KEY_SECRET (never from the command line). Prints, on its last line, `RESULT ` and one JSON
object with what each call got (the SDK itself prints its requests on standard output too).
"""

import json
import os
import sys

from jdcloud_sdk.core.config import Config
from jdcloud_sdk.core.const import SCHEME_HTTP
from jdcloud_sdk.core.credential import Credential
from jdcloud_sdk.services.disk.apis.CreateSnapshotRequest import CreateSnapshotParameters, CreateSnapshotRequest
from jdcloud_sdk.services.disk.apis.DescribeDisksRequest import DescribeDisksParameters, DescribeDisksRequest
from jdcloud_sdk.services.disk.client.DiskClient import DiskClient
from jdcloud_sdk.services.disk.models.SnapshotSpec import SnapshotSpec


def outcome(resp):
    if resp.error is not None:
        return {"error": {"code": resp.error.code, "status": resp.error.status, "message": resp.error.message}}
    return {"result": resp.result, "requestId": resp.request_id}


def main():
    endpoint = os.environ["DISK_SERVER_ENDPOINT"]
    ak = os.environ["JDCLOUD_ACCESS_KEY_ID"]
    sk = os.environ["JDCLOUD_ACCESS_KEY_SECRET"]
    config = Config(endpoint, scheme=SCHEME_HTTP, timeout=10)
    client = DiskClient(Credential(ak, sk), config)
    out = {}

    params = DescribeDisksParameters("cn-north-1")
    params.setPageSize(100)
    out["describeDisks"] = outcome(client.send(DescribeDisksRequest(params)))
    disks = (out["describeDisks"].get("result") or {}).get("disks") or []
    free = next((d["diskId"] for d in disks if d.get("status") == "available"), None)
    if free is not None:
        spec = SnapshotSpec("sdk-snapshot", free, "made by JD Cloud's Python SDK")
        create = CreateSnapshotRequest(CreateSnapshotParameters("cn-north-1", spec, "python-sdk-token-1"))
        out["createSnapshot"] = outcome(client.send(create))
        out["diskId"] = free

    wrong = DiskClient(Credential(ak, sk + "-wrong"), config)
    out["wrongSecret"] = outcome(wrong.send(DescribeDisksRequest(DescribeDisksParameters("cn-north-1"))))
    sys.stdout.write("\nRESULT " + json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
