"""Knowledge checks: short sort/spot/match/order activities beside the conversations.

They give evidence for the course marking points a conversation at a counter cannot show
(PESTLE factors, staff rights, career routes, the service-profit chain, ...). Headless: the
engine, the store and the progress map never import Textual.
"""
