"""The words of the statistics pages and charts, marked for the catalogue: figure titles and
column headings, shown in the reader's language (Babel reads only the web package)."""

from __future__ import annotations

from rarex.web.i18n import N_, gettext

TITLES = {
    "applications_by_month": N_("Applications by month"),
    "approval_rate_by_month": N_("Approval rate by month"),
    "applications_by_licence_type": N_("Applications by licence type"),
    "applications_by_element": N_("Applications by element"),
    "applications_by_destination": N_("Applications by destination country"),
    "applications_by_end_use": N_("Applications by end-use sector"),
    "processing_summary": N_("Processing time against the deadline"),
    "processing_time_distribution": N_("Processing time in working days"),
    "processing_time_by_month": N_("Median processing time and deadline breaches by month"),
    "cases_at_risk": N_("Open cases due this week or overdue"),
    "general_licence_holders": N_("General licence holders"),
    "volumes_by_element": N_("Licensed and shipped quantity by element (kg)"),
    "volumes_by_destination": N_("Licensed and shipped quantity by destination (kg)"),
    "volumes_by_month": N_("Licensed and shipped quantity by month (kg)"),
    "shipped_by_element_and_destination": N_("Shipped quantity by element and destination (kg)"),
    "licence_utilisation": N_("Utilisation of each licence"),
    "utilisation_distribution": N_("Licences by share of their quantity drawn"),
    "prices_by_month": N_("Prices beside shipped volumes"),
}

#: Column and key headings, translated where shown (tables, chart axes and legends, downloads keep the codes).
LABELS = {
    "month": N_("Month"), "licence_type": N_("Licence type"), "element": N_("Element"), "country": N_("Destination"),
    "end_use": N_("End-use sector"), "working_days": N_("Working days"), "reference": N_("Application"),
    "holder": N_("Holder"), "licence": N_("Licence"), "drawn": N_("Share drawn"),
    "received": N_("Received"), "decided": N_("Decided"), "approved": N_("Approved"), "refused": N_("Refused"),
    "withdrawn": N_("Withdrawn"), "approval_rate": N_("Approval rate"), "cases": N_("Cases"),
    "median_working_days": N_("Median working days"), "p90_working_days": N_("90th percentile (working days)"),
    "breaches": N_("Deadline breaches"), "open_cases": N_("Open cases"), "due_this_week": N_("Due this week"),
    "overdue": N_("Overdue"), "accepted_on": N_("Accepted on"), "deadline": N_("Deadline"),
    "working_days_left": N_("Working days left"), "name_en": N_("Name in English"),
    "active_general_licences": N_("Active general licences"), "valid_from": N_("Valid from"), "valid_to": N_("Valid to"),
    "licensed_kg": N_("Licensed (kg)"), "shipped_kg": N_("Shipped (kg)"), "shipped_change_pct": N_("Change of shipped on the month before (%)"),
    "holder_zh": N_("Holder"), "holder_en": N_("Holder in English"), "status": N_("Status"), "drawn_kg": N_("Drawn (kg)"),
    "utilisation": N_("Utilisation"), "licences": N_("Licences"), "product": N_("Product"), "currency": N_("Currency"),
    "unit": N_("Unit"), "average_price": N_("Average price"),
}


def translator(locale: str):
    """``label(name)``: a column's heading, or with ``title:`` before a figure's key, its title."""

    def label(name: str) -> str:
        if name.startswith("title:"):
            return gettext(locale, TITLES[name[6:]])
        text = LABELS.get(name)
        return gettext(locale, text) if text else name

    return label
