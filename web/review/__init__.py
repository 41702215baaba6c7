"""The review area: roster, unit and team pages, flags queue, audit trail, the secretariat's exports."""
