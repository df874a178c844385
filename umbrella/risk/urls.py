from django.urls import URLPattern, URLResolver, path

from umbrella.risk import views

app_name = "risk"

urlpatterns: list[URLPattern | URLResolver] = [
    path("records/<int:record_id>/", views.record_risk, name="record-risk"),
    path("records/<int:record_id>/assess/", views.assess, name="assess"),
    path("records/<int:record_id>/request-reassessment/", views.request_reassessment, name="request-reassessment"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:assessment_id>/override/", views.assessment_override, name="override"),
    path("assessments/<int:assessment_id>/actions/add/", views.action_add, name="action-add"),
    path("actions/", views.action_list, name="actions"),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/new-draft/", views.questionnaire_new_draft, name="questionnaire-new-draft"),
    path("questionnaires/<int:questionnaire_id>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:questionnaire_id>/thresholds/", views.questionnaire_thresholds, name="questionnaire-thresholds"),
    path("questionnaires/<int:questionnaire_id>/questions/<int:question_id>/", views.question_edit, name="question-edit"),
    path("questionnaires/<int:questionnaire_id>/activate/", views.questionnaire_activate, name="questionnaire-activate"),
]
