"""Live chat: a requester (signed in, or a guest with only the access code) and a counsellor,
through a waiting room; the chat desk for staff; Server-Sent Events fanned out by Redis pub/sub.
"""
