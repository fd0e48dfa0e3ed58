import datetime as dt
from datetime import datetime, timedelta


class Session:
    created = datetime.utcnow()

    def expired(self, ttl=timedelta(hours=1)):
        return datetime.utcnow() > self.created + ttl

    async def touch(self):
        self.seen = dt.datetime.utcnow().isoformat() + "Z"
        return datetime.utcfromtimestamp(self.ts)
