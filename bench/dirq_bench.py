"""python3-dirq QueueSimple driver for the mq benchmarks.

  dirq_bench.py enqueue DIR BODIES_FILE   add each line of BODIES_FILE (without its newline)
  dirq_bench.py dequeue DIR               lock + get + remove every element

Prints one JSON line: {"count": N, "ms": loop time in milliseconds}.
"""
import json
import sys
import time

from dirq.QueueSimple import QueueSimple


def enqueue(directory, bodies_file):
    with open(bodies_file, 'rb') as f:
        bodies = f.read().split(b'\n')
    if bodies and bodies[-1] == b'':
        bodies.pop()
    queue = QueueSimple(directory)
    started = time.perf_counter()
    for body in bodies:
        queue.add(body)
    return len(bodies), time.perf_counter() - started


def dequeue(directory):
    queue = QueueSimple(directory)
    count = 0
    started = time.perf_counter()
    for name in queue:
        if not queue.lock(name):
            continue
        queue.get(name)
        queue.remove(name)
        count += 1
    return count, time.perf_counter() - started


def main():
    mode, directory = sys.argv[1], sys.argv[2]
    if mode == 'enqueue':
        count, seconds = enqueue(directory, sys.argv[3])
    elif mode == 'dequeue':
        count, seconds = dequeue(directory)
    else:
        raise SystemExit('unknown mode ' + mode)
    print(json.dumps({'count': count, 'ms': seconds * 1000}))


if __name__ == '__main__':
    main()
