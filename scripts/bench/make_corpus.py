#!/usr/bin/env python3
"""Writes a synthetic but realistic corpus of Chinese address pairs for load tests.

Each line is one request body, {"address1": ..., "address2": ...}. Addresses are built from
provinces, cities, districts, roads, numbers, buildings and rooms, written the ways people type
them (with and without the province, spaces, full-width digits). Pairs are a mix of the same
place written differently, the same road or estate at another number, and unrelated places.

--repeat-share sets the share of addresses that repeat an address seen earlier in the corpus,
drawn from a small set of popular places (stores, warehouses, big estates), as real traffic
does. The output is the same for the same arguments.
"""

import argparse
import json
import random

PLACES = [
    ("北京市", "北京市", ["朝阳区", "海淀区", "东城区", "丰台区"]),
    ("上海市", "上海市", ["浦东新区", "徐汇区", "静安区", "闵行区"]),
    ("广东省", "广州市", ["天河区", "越秀区", "海珠区", "番禺区"]),
    ("广东省", "深圳市", ["南山区", "福田区", "宝安区", "龙岗区"]),
    ("浙江省", "杭州市", ["余杭区", "西湖区", "滨江区", "拱墅区"]),
    ("四川省", "成都市", ["武侯区", "锦江区", "高新区", "青羊区"]),
    ("江苏省", "南京市", ["玄武区", "鼓楼区", "江宁区", "建邺区"]),
    ("湖北省", "武汉市", ["洪山区", "江汉区", "武昌区", "汉阳区"]),
    ("河南省", "郑州市", ["金水区", "二七区", "中原区", "管城区"]),
    ("陕西省", "西安市", ["雁塔区", "碑林区", "未央区", "长安区"]),
]
ROADS = ["建国路", "人民南路", "中山北路", "文一西路", "世纪大道", "解放路", "和平街", "科技园路",
         "长江路", "黄河大道", "新华路", "学院路", "滨江大道", "东风路", "光明街"]
ESTATES = ["阳光小区", "万科城", "绿地中心", "保利花园", "华润置地广场", "碧桂园", "金茂府",
           "龙湖天街", "万达广场", "恒大名都"]
SHOPS = ["菜鸟驿站", "顺丰速运营业点", "便利店", "快递柜", "物业服务中心", "仓库"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def address(rng):
    province, city, districts = rng.choice(PLACES)
    return {
        "province": province, "city": city, "district": rng.choice(districts),
        "road": rng.choice(ROADS), "number": rng.randint(1, 999),
        "estate": rng.choice(ESTATES), "building": rng.randint(1, 30),
        "unit": rng.randint(1, 6), "room": rng.randint(101, 2805),
        "shop": rng.choice(SHOPS) if rng.random() < 0.3 else "",
    }


def write(a, rng, detail=True):
    parts = []
    if rng.random() < 0.6 and a["province"] != a["city"]:
        parts.append(a["province"])
    parts += [a["city"], a["district"], a["road"], f"{a['number']}号"]
    if detail and rng.random() < 0.7:
        parts += [a["estate"], f"{a['building']}栋", f"{a['unit']}单元", f"{a['room']}室"]
    if a["shop"]:
        parts.append(a["shop"])
    text = (" " if rng.random() < 0.2 else "").join(parts)
    if rng.random() < 0.1:
        text = text.translate(FULL_WIDTH)
    return text


def related(a, rng):
    kind = rng.random()
    if kind < 0.3:
        return write(a, rng)
    if kind < 0.65:
        b = dict(a, number=rng.randint(1, 999), building=rng.randint(1, 30))
        return write(b, rng)
    return write(address(rng), rng)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20000)
    parser.add_argument("--repeat-share", type=float, default=0.1,
                        help="share of addresses that repeat a popular one (0 to 1)")
    parser.add_argument("--popular", type=int, default=200,
                        help="how many popular places repeats are drawn from")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("output")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    popular = [write(address(rng), rng) for _ in range(args.popular)]
    with open(args.output, "w", encoding="utf-8") as out:
        for _ in range(args.pairs):
            a = address(rng)
            first = write(a, rng)
            second = related(a, rng)
            if rng.random() < args.repeat_share:
                first = popular[int(rng.paretovariate(1.2)) % len(popular)]
            if rng.random() < args.repeat_share:
                second = popular[int(rng.paretovariate(1.2)) % len(popular)]
            out.write(json.dumps({"address1": first, "address2": second},
                                 ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
