package dev.snakebridge.samples.spring;

import dev.snakebridge.SnakeBridgeRuntime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /statistics?values=2,4,4,5} answers the mean, standard deviation and median, from numpy. */
@RestController
public class StatisticsController {
  private final SnakeBridgeRuntime python;

  public StatisticsController(SnakeBridgeRuntime python) {
    this.python = python;
  }

  @GetMapping("/statistics")
  public Map<String, Object> statistics(@RequestParam("values") String values) {
    double[] numbers = Arrays.stream(values.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("count", numbers.length);
    answer.put("mean", number(python.call("numpy", "mean", (Object) numbers)));
    answer.put("std", number(python.call("numpy", "std", (Object) numbers)));
    answer.put("median", number(python.call("numpy", "median", (Object) numbers)));
    return answer;
  }

  private static double number(Object value) {
    return ((Number) value).doubleValue();
  }
}
