"""
Runs a command on a pseudo-terminal (stdin, stdout and stderr all the terminal, as at a shell), answers its
prompts and prints {"code", "out"} as JSON. Usage: on-tty.py ARGV_JSON STEPS_JSON, where STEPS is a list of
[text to wait for in the output, keys to type then]. Every wait has one deadline (60 s): a prompt that never
comes ends the run with code null and "stuck" naming the text, instead of hanging the test.
"""
import json, os, pty, select, signal, sys, time
argv = json.loads(sys.argv[1]); steps = json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''
def pump(timeout):
    global out
    r, _, _ = select.select([fd], [], [], timeout)
    if not r: return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    if not data: return False
    out += data
    return True
deadline = time.time() + 60
for wait, send in steps:
    while wait.encode() not in out:
        if time.time() > deadline or not pump(0.5):
            os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
            print(json.dumps({"code": None, "out": out.decode('utf8', 'replace'), "stuck": wait})); sys.exit(0)
    os.write(fd, send.encode())
while time.time() < deadline and pump(0.5):
    pass
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "out": out.decode('utf8', 'replace')}))
