from django.urls import path

from . import drafts, filing, mediation, stations, suggestions

app_name = "deputies"
urlpatterns = [
    path("drafts/", drafts.drafts, name="drafts"),
    path("drafts/<int:draft_id>/", drafts.draft_detail, name="draft"),
    path("drafts/<int:draft_id>/work/", drafts.draft_work, name="draft_work"),
    path("drafts/<int:draft_id>/notice/", drafts.draft_notice, name="draft_notice"),
    path("drafts/<int:draft_id>/opinions.docx", drafts.draft_word, name="draft_word"),
    path("drafts/<int:draft_id>/opinions.xlsx", drafts.draft_excel, name="draft_excel"),
    path("opinions/mine/", drafts.my_opinions, name="my_opinions"),
    path("opinions/map/", drafts.opinion_map, name="opinion_map"),
    path("stations/", stations.stations, name="stations"),
    path("stations/book/<int:day_id>/", stations.book, name="book"),
    path("stations/bookings/", stations.my_bookings, name="my_bookings"),
    path("desk/", stations.desk, name="desk"),
    path("receptions/<int:reception_id>/", stations.reception, name="reception"),
    path("deputy/<int:deputy_id>/report/", stations.deputy_report, name="deputy_report"),
    path("suggestions/", suggestions.suggestions, name="suggestions"),
    path("suggestions/published/", suggestions.published, name="published"),
    path("suggestions/<int:suggestion_id>/", suggestions.suggestion, name="suggestion"),
    path("mediation/", mediation.cases, name="mediation"),
    path("mediation/<int:case_id>/", mediation.case, name="case"),
    path("mediation/<int:case_id>/agreement.pdf", mediation.case_pdf, name="case_pdf"),
    path("filing/", filing.documents, name="filing"),
    path("filing/<int:document_id>/", filing.document, name="document"),
    path("figures/", filing.figures, name="figures"),
]
