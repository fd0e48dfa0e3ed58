# aiohttp, not FastAPI/Starlette: `await request.json()` looks the same, but aiohttp's request
# has no `.body()` and FastAPI's HTTPException is not its 400. Expected: display-only (the
# framework cannot be told); nothing imported from fastapi.
import stripe
from aiohttp import web

STRIPE_WEBHOOK_SECRET = "whsec_aiohttp"


async def stripe_webhook(request: web.Request):
    event = await request.json()
    if event["type"] == "invoice.paid":
        pass
    return web.Response(text="ok")
