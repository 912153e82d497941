"""Drive a command in a real pseudo-terminal: wait for each prompt, then type its answer.
Usage: pty-driver.py JSON  where JSON = {"argv": [...], "steps": [[prompt_substring, answer], ...]}
Prints everything the terminal showed (base64) so the caller can check what was echoed."""
import base64, json, os, pty, select, sys, time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(spec["argv"][0], spec["argv"])
out = b""
# Each prompt is looked for after the previous one, so a prompt asked again is waited for again.
pos = 0
def read_until(sub, timeout=20.0):
    global out, pos
    end = time.time() + timeout
    while out.find(sub.encode(), pos) < 0:
        if time.time() > end:
            raise SystemExit("timeout waiting for " + sub)
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    at = out.find(sub.encode(), pos)
    if at >= 0:
        pos = at + len(sub.encode())
for want, answer in spec["steps"]:
    read_until(want)
    time.sleep(0.05)
    os.write(fd, (answer + "\r").encode())
while True:
    r, _, _ = select.select([fd], [], [], 5)
    if not r:
        break
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "screen": base64.b64encode(out).decode()}))
