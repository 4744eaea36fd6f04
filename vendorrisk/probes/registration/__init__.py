"""Registration probe: registrar, dates, EPP locks and registrant-data exposure per domain.

RDAP (RFC 9083) where the IANA bootstrap lists the TLD, WHOIS (RFC 3912) otherwise.
Entry points: :class:`~vendorrisk.probes.registration.prober.RegistrationProber`,
the batch driver :func:`~vendorrisk.probes.runner.probe_many`, and the observation type
:class:`~vendorrisk.probes.registration.types.RegistrationObservation`.
Only ``transport`` touches the network; ``rdap``, ``whois``, ``epp``, ``privacy`` and
``bootstrap`` parsing are pure.
"""
