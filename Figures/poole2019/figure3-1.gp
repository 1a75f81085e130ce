# figure3-1.gp: figure "004 Figure 3: bias, variance and MSE with the optimal critic", drawn by MIPlot; its data is figure3-1.dat, beside this file.
# Redraw it from this directory:
#   gnuplot figure3-1.gp                       writes figure3-1.svg
#   gnuplot -e 'format="png"' figure3-1.gp     writes figure3-1.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' figure3-1.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' figure3-1.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'figure3-1.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 1800,1012 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 1800,1012 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 18in,10.12in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'figure3-1.dat'
set multiplot layout 3,4 rowsfirst title '004 Figure 3: bias, variance and MSE with the optimal critic' font ',13'

# Panel 1 (row 1, column 1): bias, K = 64
reset
set title 'bias, K = 64'
set xlabel 'mi'
set ylabel 'bias'
set yrange [-10:10]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 0 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 1 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 2 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 3 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 4 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 5 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

# Panel 2 (row 1, column 2): bias, K = 128
reset
set title 'bias, K = 128'
set xlabel 'mi'
set ylabel 'bias'
set yrange [-10:10]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 6 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 7 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 8 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 9 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 10 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 11 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

# Panel 3 (row 1, column 3): bias, K = 256
reset
set title 'bias, K = 256'
set xlabel 'mi'
set ylabel 'bias'
set yrange [-10:10]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 12 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 13 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 14 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 15 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 16 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 17 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

# Panel 4 (row 1, column 4): bias, K = 512
reset
set title 'bias, K = 512'
set xlabel 'mi'
set ylabel 'bias'
set yrange [-10:10]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 18 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 19 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 20 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 21 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 22 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 23 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

# Panel 5 (row 2, column 1): variance, K = 64
reset
set title 'variance, K = 64'
set xlabel 'mi'
set ylabel 'variance'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 24 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 25 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 26 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 27 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 28 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 29 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

# Panel 6 (row 2, column 2): variance, K = 128
reset
set title 'variance, K = 128'
set xlabel 'mi'
set ylabel 'variance'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 30 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 31 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 32 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 33 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 34 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 35 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

# Panel 7 (row 2, column 3): variance, K = 256
reset
set title 'variance, K = 256'
set xlabel 'mi'
set ylabel 'variance'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 36 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 37 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 38 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 39 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 40 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 41 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

# Panel 8 (row 2, column 4): variance, K = 512
reset
set title 'variance, K = 512'
set xlabel 'mi'
set ylabel 'variance'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 42 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 43 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 44 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 45 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 46 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 47 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

# Panel 9 (row 3, column 1): MSE, K = 64
reset
set title 'MSE, K = 64'
set xlabel 'mi'
set ylabel 'mse'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 48 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 49 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 50 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 51 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 52 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 53 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

# Panel 10 (row 3, column 2): MSE, K = 128
reset
set title 'MSE, K = 128'
set xlabel 'mi'
set ylabel 'mse'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 54 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 55 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 56 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 57 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 58 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 59 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

# Panel 11 (row 3, column 3): MSE, K = 256
reset
set title 'MSE, K = 256'
set xlabel 'mi'
set ylabel 'mse'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 60 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 61 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 62 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 63 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 64 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 65 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

# Panel 12 (row 3, column 4): MSE, K = 512
reset
set title 'MSE, K = 512'
set xlabel 'mi'
set ylabel 'mse'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 66 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nwj', \
    data index 67 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce', \
    data index 68 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'alpha(0.01)', \
    data index 69 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'alpha(0.5)', \
    data index 70 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'alpha(0.99)', \
    data index 71 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'loo_upper'

unset multiplot
unset output
