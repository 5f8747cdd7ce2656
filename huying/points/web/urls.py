from django.urls import path

from . import manage, merchant, review, views

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
    path("manage/", manage.index, name="manage"),
    path("manage/schemes/new/", manage.scheme_new, name="manage_scheme_new"),
    path("manage/schemes/<int:scheme_id>/", manage.scheme, name="manage_scheme"),
    path("manage/items/<int:item_id>/revise/", manage.item_revise, name="manage_item_revise"),
    path("manage/merchants/new/", manage.merchant_new, name="manage_merchant_new"),
    path("manage/merchants/<int:merchant_id>/", manage.merchant, name="manage_merchant"),
    path("manage/goods/<int:goods_id>/toggle/", manage.goods_toggle, name="manage_goods_toggle"),
    path("manage/exchange-days/new/", manage.exchange_day_new, name="manage_exchange_day_new"),
]
