"""Address pairs used to check exports and to build the tiny test model.

Every address is plain text that NFKC normalisation leaves unchanged, so the
service (which applies NFKC and trims before tokenizing) sees exactly these
strings. The note says what the pair is meant to exercise; it is not a label
the tiny random model could predict.
"""

import unicodedata

# (address1, address2, note)
PAIRS: list[tuple[str, str, str]] = [
    (
        "北京市朝阳区建国路88号SOHO现代城A座1206室",
        "北京市朝阳区建国路88号SOHO现代城A座1206室",
        "identical",
    ),
    (
        "上海市浦东新区世纪大道100号环球金融中心",
        "上海市浦东新区世纪大道100号环球金融中心",
        "identical",
    ),
    (
        "广东省深圳市南山区科技园南区高新南七道",
        "广东省深圳市南山区科技园南区高新南七道",
        "identical",
    ),
    (
        "浙江省杭州市西湖区文三路478号华星时代广场A座",
        "杭州市西湖区文三路478号华星时代广场A座",
        "same place, province left out",
    ),
    (
        "江苏省南京市鼓楼区中山北路30号",
        "南京鼓楼中山北路30号",
        "same place, abbreviated",
    ),
    (
        "四川省成都市武侯区人民南路四段11号",
        "成都市武侯区人民南路4段11号",
        "same place, numerals written differently",
    ),
    (
        "河南省郑州市金水区花园路3-2-501",
        "河南省郑州市金水区花园路3号院2号楼501室",
        "same place, hyphenated short form",
    ),
    (
        "云南省昆明市五华区翠湖南路B1栋",
        "云南省昆明市五华区翠湖南路b1栋",
        "same place, letter case differs",
    ),
    (
        "北京市海淀区中关村大街27号中关村大厦",
        "北京市 海淀区 中关村大街27号",
        "partial, building left out, spaces inside",
    ),
    (
        "上海市徐汇区漕溪北路88号",
        "上海市徐汇区漕溪北路398号",
        "partial, same road, other number",
    ),
    (
        "湖北省武汉市洪山区珞喻路1037号华中科技大学",
        "湖北省武汉市洪山区珞喻路",
        "partial, road only",
    ),
    (
        "广州市天河区天河路385号太古汇",
        "广州市天河区天河路208号天河城",
        "partial, same road, other mall",
    ),
    (
        "重庆市渝中区解放碑步行街",
        "重庆市渝中区",
        "partial, district only",
    ),
    (
        "福建省厦门市思明区中山路",
        "广东省中山市石岐区中山路",
        "different cities, same road name",
    ),
    (
        "天津市和平区南京路189号",
        "江苏省南京市玄武区北京东路",
        "different cities, city names as road names",
    ),
    (
        "陕西省西安市雁塔区小寨东路126号",
        "辽宁省大连市中山区人民路",
        "different cities",
    ),
    (
        "郑州市二七区鑫苑名家小区5号楼",
        "郑州市二七区鑫苑名家5号楼",
        "characters missing from the tiny vocabulary",
    ),
    (
        (
            "浙江省杭州市余杭区五常街道文一西路969号西溪园区8号楼3层东侧"
            "电梯间出来往北走到底左手边第二间会议室旁边的快递柜请放在柜子里"
            "取件码会通过短信发送给收件人"
        ),
        (
            "浙江省杭州市余杭区五常街道文一西路969号西溪园区8号楼3层东侧"
            "前台如果无人请联系园区物业服务中心代收并电话通知收件人本人"
            "周末不上班请工作日送达"
        ),
        "both long, truncated on both sides",
    ),
    (
        (
            "广东省广州市番禺区小谷围街道大学城外环西路230号广州大学城"
            "图书馆北门对面的学生公寓区第十二栋三单元六楼六零三号房间"
            "进门后右手边靠窗的位置如果不在请放到楼下的驿站并短信通知"
            "收件人的手机号码已经在订单里写明了晚上九点以后不要打电话"
            "谢谢配合"
        ),
        "广州大学城外环西路230号",
        "one long, one short: only the long side is cut",
    ),
    (
        "江苏省苏州市工业园区星湖街328号创意产业园二期十栋五楼西区",
        "江苏省苏州市工业园区星湖街218号生物医药产业园三期七栋八楼东区",
        "equal length, different places",
    ),
    (
        (
            "黑龙江省哈尔滨市南岗区西大直街92号哈尔滨工业大学一校区主楼"
            "北侧停车场入口处的保安亭旁边的蓝色快递柜第三排第五个格子里面"
            "放好后拍照发给收件人"
        ),
        (
            "黑龙江省哈尔滨市南岗区西大直街92号哈尔滨工业大学一校区主楼"
            "南侧正门广场东边的收发室由值班老师签收后再通知本人前来领取"
            "领取时需要出示学生证件"
        ),
        "equal length and long: tie broken by longest-first truncation",
    ),
]

# Characters deliberately left out of the tiny vocabulary so that the tiny
# model sees [UNK], as a real model does for rare characters.
UNKNOWN_CHARACTERS = "鑫"


def check_plain(text: str) -> None:
    """Fails when the service's NFKC normalisation and trimming would change the text."""
    if unicodedata.normalize("NFKC", text).strip() != text:
        raise ValueError(f"{text!r} changes under NFKC or trimming; write it in plain form")


for _a, _b, _note in PAIRS:
    check_plain(_a)
    check_plain(_b)
