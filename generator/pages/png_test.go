package pages_test

import (
	"fmt"
	"image/png"
	"os"
)

// checkNotBlank decodes a PNG and checks that it holds more than one
// colour over a fair share of its pixels.
func checkNotBlank(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return err
	}
	b := img.Bounds()
	if b.Dx() < 800 || b.Dy() < 600 {
		return fmt.Errorf("screenshot is %dx%d", b.Dx(), b.Dy())
	}
	bg := img.At(b.Min.X+b.Dx()-2, b.Max.Y-2)
	br, bgc, bb, _ := bg.RGBA()
	differ := 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r != br || g != bgc || bl != bb {
				differ++
			}
		}
	}
	total := (b.Dx() / 4) * (b.Dy() / 4)
	if differ < total/50 {
		return fmt.Errorf("only %d of %d sampled pixels differ from the background: blank", differ, total)
	}
	return nil
}
