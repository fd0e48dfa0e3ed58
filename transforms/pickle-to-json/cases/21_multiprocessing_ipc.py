# pickle as an inter-process message format (a multiprocessing pipe between trusted workers),
# even though the class is called a cache. Expected: the read is declined as IPC, the write is
# not reported; no edit.
import multiprocessing
import pickle


class ResultCache:
    def __init__(self):
        self.parent, self.child = multiprocessing.Pipe()

    def send(self, value):
        self.child.send_bytes(pickle.dumps(value))

    def receive(self):
        return pickle.loads(self.parent.recv_bytes())
