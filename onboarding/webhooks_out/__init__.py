"""Webhooks to partners: signing, the wire form of an event, and sending one attempt over HTTP."""
