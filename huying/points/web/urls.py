from django.urls import path

from . import merchant, review, views

app_name = "points"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("code/", views.code, name="code"),
    path("code.json", views.code_json, name="code_json"),
    path("merchant/", merchant.merchant, name="merchant"),
    path("merchant/statement/", merchant.statement, name="merchant_statement"),
    path("merchant/refund/<int:redemption_id>/", merchant.refund, name="refund"),
    path("review/", review.queue, name="review"),
    path("claims/<int:claim_id>/act/", review.act, name="claim_act"),
    path("board/", review.board, name="board"),
    path("figures/", review.figures, name="figures"),
]
