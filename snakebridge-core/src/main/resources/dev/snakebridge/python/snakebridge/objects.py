"""Object tables: ref id -> object, and session id -> the ids it owns.

Every object that crosses to the JVM as a ref is held here until the JVM releases its
handle (RELEASE) or the whole session (RELEASE_SESSION). Each returned object gets a fresh
id, so every Java handle owns exactly one entry. Ids are random (128 bits from os.urandom):
nobody can guess an id they were not given, and a released id is never handed out again
(a collision of 128 random bits is not a thing that happens).

Thread safety: single dict operations are atomic under the GIL, and every method here is
built from such single operations.
"""

import os

_ID_BATCH = 256  # ids made per os.urandom call: one syscall per 256 refs, not per ref
_ID_BYTES = 16  # 128 random bits
_id_pool = []


def new_id():
    """A fresh unguessable ref id: 32 hex digits (128 random bits)."""
    while True:
        try:
            return _id_pool.pop()
        except IndexError:
            raw = os.urandom(_ID_BYTES * _ID_BATCH).hex()
            width = 2 * _ID_BYTES
            _id_pool.extend(raw[i:i + width] for i in range(0, len(raw), width))


class ObjectTables:
    """All sessions' objects that the JVM holds refs to.

    A ref id is a capability: whoever holds it may use the object, from any session (the
    JVM lets a thread use a ref of another session). So refs resolve through one table of
    every id, while each session keeps the set of ids it owns, so that releasing the
    session releases exactly its objects.
    """

    def __init__(self):
        self._all = {}  # ref id -> object
        self._owner = {}  # ref id -> session id
        self._sessions = {}  # session id -> set of ref ids

    def refs(self, session):
        """The table {ref id: object} refs resolve in (every session's); do not modify it."""
        return self._all

    def put(self, session, obj):
        """Store `obj` under a fresh id owned by `session` and return the id."""
        ids = self._sessions.get(session)
        if ids is None:
            ids = self._sessions.setdefault(session, set())
        ref_id = new_id()
        while ref_id in self._all:  # 128 random bits: never taken in practice
            ref_id = new_id()
        self._all[ref_id] = obj
        self._owner[ref_id] = session
        ids.add(ref_id)
        return ref_id

    def release(self, session, ids):
        """Forget the given ids (of any session); unknown ids are ignored."""
        for ref_id in ids:
            self._all.pop(ref_id, None)
            owner = self._owner.pop(ref_id, None)
            if owner is not None:
                owned = self._sessions.get(owner)
                if owned is not None:
                    owned.discard(ref_id)

    def release_session(self, session):
        """Forget every object of the session."""
        for ref_id in self._sessions.pop(session, ()):
            self._all.pop(ref_id, None)
            self._owner.pop(ref_id, None)

    def count(self, session=None):
        """Number of objects held (by one session, or by all): for tests and diagnostics."""
        if session is not None:
            return len(self._sessions.get(session, ()))
        return len(self._all)

    def sink(self, session):
        """A RefSink for encoding one result of `session`."""
        return RefSink(self, session)


class RefSink:
    """Collects the refs made while encoding one result, so that they can be taken back.

    If encoding fails half way (or a part is re-encoded as a single ref), the objects
    stored so far were never seen by the JVM and must not stay in the table forever.
    """

    __slots__ = ("_tables", "_session", "_ids")

    def __init__(self, tables, session):
        self._tables = tables
        self._session = session
        self._ids = []

    def put(self, obj):
        ref_id = self._tables.put(self._session, obj)
        self._ids.append(ref_id)
        return ref_id

    def mark(self):
        """A position to roll back to."""
        return len(self._ids)

    def rollback(self, mark):
        """Release every ref made since `mark`."""
        if len(self._ids) > mark:
            self._tables.release(self._session, self._ids[mark:])
            del self._ids[mark:]
