"""Reusable shared-memory slots for large buffers: the arena (mirrors BulkArena.java and SlotMappings.java).

A fresh file in /dev/shm costs the kernel a new zeroed page per 4 KiB (about 40 ms for 80 MB on a small
VM), which dwarfs the copy itself. So a sender keeps its files, as *slots*, and reuses them: each slot is
one file, created on demand, mapped once by the sender and once by each receiver, holding one buffer at
a time. Slot layout (docs/PROTOCOL.md, "Bulk values"):

    offset 0, u64 words, each written by one side only:
        0 LEASE     generation of the current lease          (sender)
        1 RELEASED  generation the receiver is done with      (receiver)
        2 RETIRED   1 once the sender dropped the slot        (sender)
        3 CLAIMED   generation the receiver has taken         (receiver)
        4 HOLDER    pid of the receiver that claimed it       (receiver)
    offset DATA_OFFSET (4096): the buffer

A slot is free when RELEASED == LEASE. The receiver claims a lease when it decodes the descriptor and
releases it when the last view of the buffer dies (here: a weakref.finalize on the ndarray that owns the
view; in the JVM: a Cleaner). A lease whose receiver never came (a failed encode, an answer nobody
decoded) is never reused: its slot is *retired* (unlinked, dropped), so a late reader still sees intact
bytes. Shared words are read and written with memoryview(...).cast("Q") item access: one aligned 8-byte
load or store. struct.pack_into would not do, it clears its target before writing.
"""

import atexit
import mmap
import os
import threading
import time
import weakref

DATA_OFFSET = 4096
LEASE, RELEASED, RETIRED, CLAIMED, HOLDER = range(5)
GRAIN = 1 << 20  # slot capacities are whole MiB, so slightly different sizes reuse a slot


def _round_up(n):
    return (n + GRAIN - 1) // GRAIN * GRAIN


class Slot:
    """One reusable file: its path, mapping, words and the generation of its last lease."""

    __slots__ = ("path", "mm", "words", "data", "capacity", "gen", "leased_at")

    def __init__(self, path, mm, capacity):
        self.path = path
        self.mm = mm
        self.words = memoryview(mm).cast("B").cast("Q")
        self.data = memoryview(mm).cast("B")
        self.capacity = capacity
        self.gen = 0
        self.leased_at = 0.0

    def is_free(self):
        return self.words[RELEASED] == self.words[LEASE]


class SendArena:
    """The slots this process sends from. Thread-safe; `cap` bounds the bytes of all slots together."""

    def __init__(self, directory, prefix, cap):
        self.directory = directory
        self.prefix = prefix
        self.cap = cap
        self.slots = []
        self.leases = {}  # token -> (slot, gen) of leases not yet settled by the encoder
        self.lock = threading.Lock()
        self.created = 0
        self.retired = 0
        self.fallbacks = 0  # leases refused (no free slot, no room for a new one): a file was used

    def total(self):
        return sum(s.capacity for s in self.slots)

    def lease(self, n):
        """(token, path, gen, data memoryview of n bytes) for a free slot, or None: the caller uses a file."""
        with self.lock:
            slot = self._free_slot(n) or self._new_slot(n)
            if slot is None:
                self.fallbacks += 1
                return None
            slot.gen += 1
            slot.leased_at = time.monotonic()
            slot.words[LEASE] = slot.gen
            token = "%s#%d" % (slot.path, slot.gen)
            self.leases[token] = (slot, slot.gen)
        return token, slot.path, slot.gen, slot.data[DATA_OFFSET:DATA_OFFSET + n]

    def _free_slot(self, n):
        best = None
        for s in self.slots:
            if n <= s.capacity <= max(2 * n, n + GRAIN) and s.is_free():
                if best is None or s.capacity < best.capacity:
                    best = s
        return best

    def _new_slot(self, n):
        capacity = _round_up(n)
        if capacity > self.cap:
            return None
        # Free slots that are the wrong size give their room to this one, smallest first.
        for s in sorted((s for s in self.slots if s.is_free()), key=lambda s: s.capacity):
            if self.total() + capacity <= self.cap:
                break
            self._retire(s)
        if self.total() + capacity > self.cap:
            return None
        path = os.path.join(self.directory, "%s%d-%s" % (self.prefix, os.getpid(), os.urandom(8).hex()))
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            # Every page allocated before the mapping: a full tmpfs fails this with ENOSPC, where a
            # mapping of a sparse file dies of SIGBUS at the first page it cannot supply.
            reserve(fd, DATA_OFFSET + capacity)
            mm = mmap.mmap(fd, DATA_OFFSET + capacity, flags=mmap.MAP_SHARED,
                           prot=mmap.PROT_READ | mmap.PROT_WRITE)
        except OSError:
            _unlink(path)
            return None  # no room in the directory: the caller writes a file, in the fallback if need be
        finally:
            os.close(fd)
        slot = Slot(path, mm, capacity)
        self.slots.append(slot)
        self.created += 1
        return slot

    def _retire(self, slot):
        slot.words[RETIRED] = 1
        _unlink(slot.path)
        self.slots.remove(slot)
        self.retired += 1

    def settle(self, token):
        """The transfer of `token` is over (sent and answered, or failed): retire its slot if unclaimed.

        A lease nobody claimed may still be read by a late receiver, so it is never reused.
        """
        with self.lock:
            found = self.leases.pop(token, None)
            if found is None:
                return
            slot, gen = found
            if slot in self.slots and slot.words[CLAIMED] != gen and slot.words[LEASE] == gen:
                self._retire(slot)

    def sweep(self, max_age):
        """Settle leases older than `max_age` seconds that were never claimed; returns how many."""
        limit = time.monotonic() - max_age
        stale = [t for t, (slot, gen) in list(self.leases.items())
                 if slot.leased_at < limit and slot.words[CLAIMED] != gen]
        for token in stale:
            self.settle(token)
        with self.lock:
            for token, (slot, gen) in list(self.leases.items()):
                if slot.words[CLAIMED] == gen:
                    del self.leases[token]  # claimed: its receiver gives it back
        return len(stale)

    def close(self):
        with self.lock:
            for s in list(self.slots):
                self._retire(s)


class ReceiveSlots:
    """The peer's slots this process has mapped, by path. Thread-safe."""

    def __init__(self, check_path):
        self.check_path = check_path
        self.mapped = {}  # path -> (mm, words)
        self.lock = threading.Lock()

    def take(self, path, gen, n, make_owner):
        """(owner, bytes-like view of n bytes): `make_owner(mm, offset, n)` builds the object whose death
        gives the slot back (an ndarray); claims the lease first."""
        with self.lock:
            self._prune()
            entry = self.mapped.get(path)
            if entry is None:
                entry = self._map(path, n)
                self.mapped[path] = entry
        mm, words = entry
        if len(mm) < DATA_OFFSET + n:
            raise ValueError("shared slot %s holds %d bytes, not %d" % (path, len(mm) - DATA_OFFSET, n))
        if words[LEASE] != gen:
            raise ValueError("shared slot %s was taken back by its sender (lease %d, not %d)"
                             % (path, words[LEASE], gen))
        words[HOLDER] = os.getpid()
        words[CLAIMED] = gen
        owner = make_owner(mm, DATA_OFFSET, n)
        weakref.finalize(owner, _release, words, gen)
        return owner

    def _map(self, path, n):
        path = self.check_path(path)
        fd = os.open(path, os.O_RDWR)  # FileNotFoundError: the caller explains
        try:
            size = os.fstat(fd).st_size
            flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
            mm = mmap.mmap(fd, size, flags=flags, prot=mmap.PROT_READ | mmap.PROT_WRITE)
        finally:
            os.close(fd)
        return mm, memoryview(mm).cast("B").cast("Q")

    def _prune(self):
        """Forget slots their sender retired (views still hold their memory until they die)."""
        for path in [p for p, (mm, words) in self.mapped.items() if words[RETIRED]]:
            del self.mapped[path]


def reserve(fd, size):
    """Make the file `fd` `size` bytes long with every page allocated; OSError (ENOSPC) when it has no room."""
    if hasattr(os, "posix_fallocate"):
        os.posix_fallocate(fd, 0, size)
        return
    zeros = bytes(1 << 20)  # macOS: no posix_fallocate; write the zeros
    done = 0
    while done < size:
        done += os.pwrite(fd, zeros[:min(len(zeros), size - done)], done)


def _release(words, gen):
    words[RELEASED] = gen


def _unlink(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def register_exit(arena):
    """Unlink the arena's files when the interpreter exits normally (the JVM sweeps a killed worker's)."""
    atexit.register(arena.close)
