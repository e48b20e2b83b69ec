#!/usr/bin/env python3
"""Black-box autotest of a running facetally, through its REST API only (standard library).

Uploads the shared videos, follows their progress, cancels one, checks the totals against
the reference counts, and creates, edits, validates and deletes a profile. Exits non-zero on
any mismatch, listing every failed check.

    python3 scripts/autotest.py --base-url http://127.0.0.1:3000 [--videos ../shared/data/videos]
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

# Reference counts (YuNet 2022mar, score 0.9, NMS 0.3): shared/data/REFERENCE.md.
EXPECTED = {
    "carphone_pristine.mp4": {"frames_processed": 120, "faces_total": 120, "max_faces_in_frame": 1, "frames_with_faces": 120, "people_count": 1},
    "tree.avi": {"frames_processed": 68, "faces_total": 0, "max_faces_in_frame": 0, "frames_with_faces": 0, "people_count": 0},
    "Megamind.avi": {"frames_processed": 270, "faces_total": 365, "max_faces_in_frame": 2, "frames_with_faces": 269},
}
FINAL = {"done", "failed", "cancelled"}


class Client:
    """Minimal JSON-over-HTTP client."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")

    def request(self, method, path, body=None, headers=None):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        headers = dict(headers or {})
        if body is not None and not isinstance(body, bytes):
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                raw = response.read()
                return response.status, response.headers, raw
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def json(self, method, path, body=None, headers=None):
        status, _, raw = self.request(method, path, body, headers)
        return status, (json.loads(raw) if raw else None)

    def upload(self, paths, create_profiles):
        boundary = uuid.uuid4().hex
        parts = []
        for path in paths:
            with open(path, "rb") as f:
                content = f.read()
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{os.path.basename(path)}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            parts.append(head.encode() + content + b"\r\n")
        flag = f'--{boundary}\r\nContent-Disposition: form-data; name="create_profiles"\r\n\r\n{str(create_profiles).lower()}\r\n'
        body = b"".join(parts) + flag.encode() + f"--{boundary}--\r\n".encode()
        return self.json("POST", "/api/videos", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


class Checks:
    """Collects failed checks instead of stopping at the first."""

    def __init__(self):
        self.failures = []
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)
            print(f"FAIL {what}", file=sys.stderr)
        return ok


def follow(client, checks, ids, limit_s=300):
    """Polls until every video is final; checks progress never goes backwards."""
    last = {i: -1.0 for i in ids}
    deadline = time.time() + limit_s
    videos = {}
    while time.time() < deadline:
        for video_id in ids:
            status, video = client.json("GET", f"/api/videos/{video_id}")
            checks.check(status == 200, f"GET video {video_id} -> {status}")
            checks.check(video["progress"] >= last[video_id], f"{video['filename']}: progress went back {last[video_id]} -> {video['progress']}")
            last[video_id] = video["progress"]
            videos[video_id] = video
        if all(v["status"] in FINAL for v in videos.values()):
            return videos
        time.sleep(0.3)
    checks.check(False, "videos did not finish in time")
    return videos


def videos_flow(client, checks, folder):
    names = list(EXPECTED)
    status, created = client.upload([os.path.join(folder, n) for n in names], create_profiles=True)
    if not checks.check(status == 201 and len(created) == len(names), f"upload -> {status}"):
        return None
    status, long_one = client.upload([os.path.join(folder, "vtest.avi")], create_profiles=False)
    checks.check(status == 201, "upload vtest.avi")
    status, cancelled = client.json("POST", f"/api/videos/{long_one[0]['id']}/cancel")
    checks.check(status == 200 and cancelled["status"] == "cancelled", f"cancel -> {status}")
    finished = follow(client, checks, [v["id"] for v in created])
    for video in finished.values():
        checks.check(video["status"] == "done", f"{video['filename']} ended {video['status']}: {video.get('error')}")
        checks.check(video["progress"] == 100, f"{video['filename']}: progress {video['progress']} at the end")
        for field, want in EXPECTED[video["filename"]].items():
            checks.check(video[field] == want, f"{video['filename']}: {field} = {video[field]}, expected {want}")
    status, listed = client.json("GET", "/api/videos")
    checks.check(status == 200 and {v["id"] for v in created} <= {v["id"] for v in listed}, "GET /api/videos lists the uploads")
    status, bad = client.upload([__file__], create_profiles=False)
    checks.check(status == 422 and "fields" in bad, f"a non-video upload -> {status}")
    return next(v for v in created if v["filename"] == "carphone_pristine.mp4")


def profiles_flow(client, checks, carphone):
    status, page = client.json("GET", "/api/profiles?limit=1000")
    checks.check(status == 200, f"GET /api/profiles -> {status}")
    mine = [p for p in page["items"] if any(v["video_id"] == carphone["id"] for v in p["videos"])]
    if not checks.check(len(mine) == 1, f"one profile for the carphone man, got {len(mine)}"):
        return
    profile = mine[0]
    path = f"/api/profiles/{profile['id']}"
    status, headers, crop = client.request("GET", profile["crop_url"])
    checks.check(status == 200 and crop[:2] == b"\xff\xd8", "the crop is a JPEG")
    status, saved = client.json("PATCH", path, {"full_name": " Иванов  Иван Иванович", "gender": "male", "birth_date": "1985-04-12"})
    checks.check(status == 200 and saved["full_name"] == "Иванов Иван Иванович", f"valid PATCH -> {status}")
    for body, field in [({"birth_date": "2023-02-30"}, "birth_date"), ({"full_name": "Smith 42"}, "full_name"),
                        ({"gender": "unknown"}, "gender"), ({"nickname": "x"}, "nickname")]:
        status, error = client.json("PATCH", path, body)
        checks.check(status == 422 and field in (error or {}).get("fields", {}), f"PATCH {body} -> {status} {error}")
    status, reread = client.json("GET", path)
    checks.check(reread == saved, "invalid PATCHes changed nothing")
    status, _, _ = client.request("DELETE", path)
    checks.check(status == 204, f"DELETE profile -> {status}")
    status, _, _ = client.request("GET", profile["crop_url"])
    checks.check(status == 404, f"the crop is gone -> {status}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=os.environ.get("FACETALLY_BASE_URL", "http://127.0.0.1:3000"))
    parser.add_argument("--videos", default=os.path.join(here, "..", "..", "shared", "data", "videos"))
    args = parser.parse_args()
    client, checks = Client(args.base_url), Checks()
    status, _, _ = client.request("GET", "/api/health")
    if not checks.check(status == 200, f"health -> {status}"):
        return 1
    carphone = videos_flow(client, checks, args.videos)
    if carphone:
        profiles_flow(client, checks, carphone)
    print(f"autotest: {checks.passed} passed, {len(checks.failures)} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
