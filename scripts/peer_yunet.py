"""The peer of facetally's scan: cv2.FaceDetectorYN (opencv-python-headless 4.7.0.72) with the
same YuNet 2022mar model, every frame at full size, one thread. Prints frames per second of
wall time and of CPU time (all threads; comparable on a busy machine).

    python peer_yunet.py MODEL VIDEO
"""
import sys
import time

import cv2

model, video = sys.argv[1], sys.argv[2]
cv2.setNumThreads(1)
cap = cv2.VideoCapture(video, cv2.CAP_FFMPEG)
width, height = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
detector = cv2.FaceDetectorYN.create(model, "", (width, height), 0.9, 0.3, 5000)
frames = faces = 0
start, cpu_start = time.perf_counter(), time.process_time()
while True:
    ok, frame = cap.read()
    if not ok:
        break
    _, found = detector.detect(frame)
    frames += 1
    faces += 0 if found is None else len(found)
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
print(f"fps={frames / elapsed:.1f} cpu_fps={frames / cpu:.1f} frames={frames} faces={faces} opencv={cv2.__version__}")
