package dev.addressmatch.scoring;

import dev.addressmatch.model.AddressPair;
import java.util.List;

/** Made-up but realistic address pairs of varied length, used to warm the model up. */
final class WarmUpPairs {

  private static final List<AddressPair> PAIRS =
      List.of(
          new AddressPair("北京市朝阳区建国路88号", "北京朝阳建国路88号SOHO现代城"),
          new AddressPair("上海市浦东新区世纪大道100号环球金融中心", "浦东世纪大道100号"),
          new AddressPair("广东省深圳市南山区科技园南区高新南一道", "深圳南山高新南一道9号"),
          new AddressPair("浙江省杭州市余杭区文一西路969号", "杭州市西湖区文三路90号"),
          new AddressPair("四川省成都市武侯区人民南路四段27号商鼎国际1栋2单元", "成都人民南路四段"),
          new AddressPair("江苏省南京市玄武区中山路18号德基广场二期8楼", "南京市鼓楼区中山北路"));

  private WarmUpPairs() {}

  /** The i-th pair; past the fixed list, a building number keeps every address distinct. */
  static AddressPair get(int i) {
    AddressPair base = PAIRS.get(i % PAIRS.size());
    int round = i / PAIRS.size();
    if (round == 0) {
      return base;
    }
    return new AddressPair(base.address1() + round + "号楼", base.address2() + round + "栋");
  }
}
