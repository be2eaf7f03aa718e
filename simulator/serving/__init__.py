"""`countertalk serve`'s web side: who may connect (hosts, origins, learner names) and the pages."""
